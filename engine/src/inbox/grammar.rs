//! The instruction grammar of members' replies (`mail-replies.md`, "What is read" and "Read as
//! people write"): one line of a member's own words in, the tasks it names and what it says of
//! each out. Pure functions, unit-tested here; which lines are the member's own is `read.rs`.
//!
//! The reading is careful rather than eager: a number is a task reference only where it stands as
//! one (`2 : fait`, `point 7`, `1 et 2 :`, `pour le 1`), never inside an amount (`1.500.000 F CFA`)
//! or before `%`; a minus sign is never dropped; a quarter without its year is asked back.

use crate::workflow::Status;

/// Which task a line names.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskRef {
    /// None named.
    Unnamed,
    /// The task with this number in the message, or with this id.
    Task(String),
    /// A number the message did not list.
    NoSuchNumber(usize),
    /// A recurring task's id without `@date` while the message listed several of its occurrences.
    Ambiguous(String),
}

/// A day written after a status (`fait le 12 mars`, `done on 2025-10-12`, `hier`): the status
/// change's effective date, resolved against today by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A calendar day; the year is the latest one that does not put the day after today when
    /// the member did not write it.
    Day {
        day: u32,
        month: u32,
        year: Option<i32>,
    },
    /// So many days before today (`hier`, `la semaine dernière`).
    DaysAgo(u32),
    /// The latest such weekday before today (`vendredi dernier`, `last Friday`), Monday 0.
    LastWeekday(u32),
}

/// One instruction.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A status, with the rest of the sentence as its note and the day it took effect.
    Status {
        status: Status,
        note: Option<String>,
        on: Option<When>,
    },
    Progress(i64),
    /// A progress outside 0-100.
    ProgressOutOfRange(i64),
    /// A progress or an amount written with a minus sign: refused, never read without it.
    Negative(String),
    Note(String),
    /// A spending entry; `currency` `None` is the plan's; `funder` as written in brackets after
    /// the amount (`(UE)`).
    Spent {
        amount: f64,
        currency: Option<String>,
        funder: Option<String>,
        note: Option<String>,
    },
    /// A spending word with an amount that is not one.
    BadAmount(String),
    Postpone(String),
    /// A postponement to a quarter or semester without its year (`reporter au T2`): asked back.
    PostponeWithoutYear(String),
    /// `merci`, `bien reçu`, `ok`: nothing to do.
    Courtesy,
    /// Words that are none of the above.
    Unknown(String),
}

/// One line read for one task: the task and its instructions.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub task: TaskRef,
    pub items: Vec<Item>,
}

impl Line {
    /// True when nothing in it reads as an instruction.
    pub fn is_unknown(&self) -> bool {
        self.items.iter().all(|i| matches!(i, Item::Unknown(_)))
    }
}

/// A text folded one character for one character (lower case, accents and typographic
/// apostrophes and spaces plain), so that a byte offset in the folded text maps back to the
/// member's own characters by counting.
struct Folded {
    original: Vec<char>,
    folded: String,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let original: Vec<char> = text.chars().collect();
        let folded = original.iter().map(|c| fold_char(*c)).collect();
        Folded { original, folded }
    }

    /// The member's own text from byte `start` to byte `end` of the folded text.
    fn original(&self, start: usize, end: usize) -> String {
        let from = self.folded[..start].chars().count();
        let to = self.folded[..end].chars().count();
        self.original[from..to].iter().collect()
    }
}

fn fold_char(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'Î' | 'Ï' | 'Í' => 'i',
        'ô' | 'ö' | 'ó' | 'õ' | 'Ô' | 'Ö' | 'Ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => 'u',
        'ç' | 'Ç' => 'c',
        'ÿ' | 'Ÿ' => 'y',
        'ñ' | 'Ñ' => 'n',
        '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => '\'',
        '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t' => ' ',
        '\u{2212}' => '-',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Reads one line of a reply to a message that listed `ids` (in order: number `n` is
/// `ids[n - 1]`): one [`Line`] per task it names (`1 et 2 : en cours` is two), or one with
/// [`TaskRef::Unnamed`].
pub fn read_line(line: &str, ids: &[String]) -> Vec<Line> {
    let text = line.trim().to_string();
    let mut clauses: Vec<(Vec<TaskRef>, Vec<Item>)> = Vec::new();
    for clause in clauses_of(&text, ids) {
        let (tasks, rest) = task_prefix(clause, ids);
        // A note holds the rest of its line, semicolons included.
        if let (true, Some((_, items))) = (tasks.is_empty(), clauses.last_mut()) {
            if let Some(Item::Note(note)) = items.last_mut() {
                note.push_str("; ");
                note.push_str(clause.trim());
                continue;
            }
        }
        let items = read_items(rest);
        match (tasks.is_empty(), clauses.last_mut()) {
            // `2 : en cours ; avancement 40`: the same task goes on.
            (true, Some(last)) => last.1.extend(items),
            _ => clauses.push((tasks, items)),
        }
    }
    let mut out: Vec<Line> = Vec::new();
    for (tasks, items) in clauses {
        let tasks = if tasks.is_empty() {
            vec![TaskRef::Unnamed]
        } else {
            tasks
        };
        for task in tasks {
            match out.iter_mut().find(|l| l.task == task) {
                Some(l) => l.items.extend(items.iter().cloned()),
                None => out.push(Line {
                    text: text.clone(),
                    task,
                    items: items.clone(),
                }),
            }
        }
    }
    if out.is_empty() {
        out.push(Line {
            text,
            task: TaskRef::Unnamed,
            items: Vec::new(),
        });
    }
    out
}

/// The clauses of a line: `;` separates them, and so does `,` when what follows names a task
/// (`pour le 1 c'est fait, le 2 toujours en cours`).
fn clauses_of<'a>(text: &'a str, ids: &[String]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for part in text.split(';') {
        let mut start = 0;
        // `, le 2 …`, ` et le 3 …`, ` and 3 …`: a new clause when a task follows and the
        // clause before said something (`1, 3 : fait` is one list).
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for sep in [",", " et ", " and ", " puis "] {
            cuts.extend(part.match_indices(sep).map(|(i, m)| (i, i + m.len())));
        }
        cuts.sort_unstable();
        for (i, j) in cuts {
            if i < start {
                continue;
            }
            let after = &part[j..];
            let spaced = after.starts_with(' ') || j > i + 1;
            if spaced && names_task(after, ids) && says_words(&part[start..i], ids) {
                out.push(&part[start..i]);
                start = j;
            }
        }
        out.push(&part[start..]);
    }
    out.retain(|c| !c.trim().is_empty());
    out
}

/// True when a clause holds words besides its task reference (`1` in `1, 3 : fait` does not).
fn says_words(clause: &str, ids: &[String]) -> bool {
    let (_, rest) = task_prefix(clause, ids);
    rest.chars().any(char::is_alphabetic)
}

/// True when `clause` opens with a task reference (and is not one more instruction of the same
/// task).
fn names_task(clause: &str, ids: &[String]) -> bool {
    let (tasks, _) = task_prefix(clause, ids);
    !tasks.is_empty()
}

/// Words before a task's number: `pour le`, `tâche`, `point`, `activité`, `n°`, `#`.
fn strip_task_words(f: &str) -> (&str, bool) {
    let mut t = f.trim_start();
    let mut strong = false;
    for lead in [
        "pour ",
        "concernant ",
        "quant a ",
        "as for ",
        "for ",
        "regarding ",
    ] {
        if let Some(r) = t.strip_prefix(lead) {
            t = r;
            strong = true;
            break;
        }
    }
    for art in ["les ", "le ", "la ", "l'", "the "] {
        if let Some(r) = t.strip_prefix(art) {
            t = r;
            break;
        }
    }
    for word in [
        "taches ",
        "tache ",
        "points ",
        "point ",
        "activites ",
        "activite ",
        "actions ",
        "action ",
        "tasks ",
        "task ",
        "items ",
        "item ",
        "activities ",
        "activity ",
        "numeros ",
        "numero ",
        "n° ",
        "n°",
        "no ",
        "nr ",
        "#",
    ] {
        if let Some(r) = t.strip_prefix(word) {
            return (r.trim_start(), true);
        }
    }
    (t, strong)
}

/// The tasks a clause names and the rest of it (the member's own characters).
fn task_prefix<'a>(clause: &'a str, ids: &[String]) -> (Vec<TaskRef>, &'a str) {
    let t = clause.trim();
    let folded = Folded::new(t);
    let f = folded.folded.as_str();
    let (after_words, strong) = strip_task_words(f);
    // An id of the message, longest first (`a1` is a prefix of `a10`), or a recurring task's id
    // without `@date`.
    if let Some((task, len)) = id_at(after_words, ids) {
        if let Some(rest) = after_separator(&after_words[len..], true) {
            let rest_at = f.len() - rest.len();
            return (vec![task], original_from(t, &folded, rest_at));
        }
    }
    let Some((numbers, len)) = number_list(after_words) else {
        return (Vec::new(), t);
    };
    let after = &after_words[len..];
    let with_sep = after_separator(after, false);
    // `1 fait`, `pour le 1 c'est fait`: a number then a space, when what follows reads as an
    // instruction (or after `pour le`, `point`, anything).
    let spaced = (with_sep.is_none() && (after.starts_with(' ') || after.starts_with(',')))
        .then(|| after.trim_start_matches([' ', ',']))
        .filter(|rest| strong || !matches!(read_item(rest), Item::Unknown(_)));
    let Some(rest) = with_sep.or(spaced) else {
        return (Vec::new(), t);
    };
    if is_value_tail(after) {
        return (Vec::new(), t);
    }
    let tasks = numbers
        .into_iter()
        .map(|n| match n.checked_sub(1).and_then(|i| ids.get(i)) {
            Some(id) => TaskRef::Task(id.clone()),
            None => TaskRef::NoSuchNumber(n),
        })
        .collect();
    let rest_at = f.len() - rest.len();
    (tasks, original_from(t, &folded, rest_at))
}

/// The member's own text from byte `at` of the folded text to the end, as a slice of `t`.
fn original_from<'a>(t: &'a str, folded: &Folded, at: usize) -> &'a str {
    let chars = folded.folded[..at].chars().count();
    match t.char_indices().nth(chars) {
        Some((i, _)) => &t[i..],
        None => "",
    }
}

/// What follows a number that makes it a value, not a task: `%`, digits (`2 500 000`), a decimal
/// part (`1,5`), a unit.
fn is_value_tail(after: &str) -> bool {
    let a = after.trim_start();
    a.starts_with('%')
        || a.starts_with(|c: char| c.is_ascii_digit())
        || [
            "pour cent",
            "percent",
            "million",
            "milliard",
            "mille",
            "m ",
            "fcfa",
            "f cfa",
            "cfa",
            "eur",
            "usd",
        ]
        .iter()
        .any(|u| a.starts_with(u))
}

/// An id of `ids` at the start of `f` (folded): its task and the id's length in `f`.
fn id_at(f: &str, ids: &[String]) -> Option<(TaskRef, usize)> {
    let mut by_length: Vec<&String> = ids.iter().collect();
    by_length.sort_by_key(|id| std::cmp::Reverse(id.len()));
    for id in &by_length {
        let lower = id.to_lowercase();
        if f.starts_with(&lower) && boundary(&f[lower.len()..]) {
            return Some((TaskRef::Task((*id).clone()), lower.len()));
        }
    }
    // `axe-1.a3` for `axe-1.a3@2026-03-31`: the occurrence the message listed.
    let mut bases: Vec<&str> = ids
        .iter()
        .filter_map(|id| id.split_once('@'))
        .map(|(b, _)| b)
        .collect();
    bases.sort_by_key(|b| std::cmp::Reverse(b.len()));
    bases.dedup();
    for base in bases {
        let lower = base.to_lowercase();
        if f.starts_with(&lower) && boundary(&f[lower.len()..]) {
            let listed: Vec<&String> = ids
                .iter()
                .filter(|id| id.split_once('@').is_some_and(|(b, _)| b == base))
                .collect();
            let task = match listed.as_slice() {
                [one] => TaskRef::Task((*one).clone()),
                _ => TaskRef::Ambiguous(base.to_string()),
            };
            return Some((task, lower.len()));
        }
    }
    None
}

/// True when an id ends here (not a prefix of a longer word).
fn boundary(rest: &str) -> bool {
    !rest.starts_with(|c: char| {
        c.is_alphanumeric()
            || c == '.' && rest[1..].starts_with(|d: char| d.is_alphanumeric())
            || c == '@'
            || c == '_'
    })
}

/// `1`, `1 et 2`, `1, 3`, `1 & 2 & 4`, `1 and 2`: the numbers (1 to 3 digits each) and the length
/// they take.
fn number_list(f: &str) -> Option<(Vec<usize>, usize)> {
    let mut numbers = Vec::new();
    let mut pos = 0;
    loop {
        let digits: String = f[pos..].chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 3 {
            return None;
        }
        // `1.500.000`, `1,5`: not a task number.
        let after = &f[pos + digits.len()..];
        if after.starts_with(['.', ',']) && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        numbers.push(digits.parse().ok()?);
        pos += digits.len();
        let rest = &f[pos..];
        let sep = [", ", ",", " et ", " and ", " & ", " + ", " / ", "/", " ou "]
            .iter()
            .find(|s| {
                rest.starts_with(**s)
                    && rest[s.len()..]
                        .trim_start_matches(['#', ' '])
                        .starts_with(|c: char| c.is_ascii_digit())
            });
        match sep {
            Some(s) => {
                pos += s.len()
                    + (rest[s.len()..].len() - rest[s.len()..].trim_start_matches(['#', ' ']).len())
            }
            None => return Some((numbers, pos)),
        }
    }
}

/// The separator after a task's number or id: `:`, `-`, `–`, `—`, `.` (before a space), `)`,
/// `=`.
fn after_separator(s: &str, allow_space: bool) -> Option<&str> {
    let t = s.trim_start();
    for sep in [":", "-", "–", "—", ")", "=", "."] {
        if let Some(rest) = t.strip_prefix(sep) {
            if sep == "." && !(rest.is_empty() || rest.starts_with(' ')) {
                continue;
            }
            // `1 - -5 %` keeps its minus sign.
            let rest = rest.trim_start_matches([':', ' ']);
            let rest = match rest.strip_prefix('-') {
                Some(r) if !r.trim_start().starts_with(|c: char| c.is_ascii_digit()) => r,
                _ => rest,
            };
            return Some(rest.trim_start());
        }
    }
    (allow_space && s.starts_with(' ')).then_some(t)
}

/// The instructions of a clause without its task: several when `,` separates things that each
/// read as one (`en cours, avancement 40`), one otherwise (`bloqué, en attente des fonds`).
fn read_items(rest: &str) -> Vec<Item> {
    let rest = rest.trim();
    if rest.is_empty() {
        return Vec::new();
    }
    if courtesy(&Folded::new(rest).folded) {
        return vec![Item::Courtesy];
    }
    let pieces: Vec<&str> = rest.split(',').collect();
    let all_known = pieces.len() > 1
        && pieces.iter().all(|p| {
            !p.trim().is_empty() && !matches!(read_item(p), Item::Unknown(_) | Item::Note(_))
        });
    if all_known {
        // `C'est fait, merci`: the thanks add nothing.
        let items: Vec<Item> = pieces.into_iter().map(read_item).collect();
        let said: Vec<Item> = items
            .iter()
            .filter(|i| !matches!(i, Item::Courtesy))
            .cloned()
            .collect();
        return if said.is_empty() {
            vec![Item::Courtesy]
        } else {
            said
        };
    }
    vec![read_item(rest)]
}

const STATUS_WORDS: &[(&str, Status)] = &[
    ("fait", Status::Done),
    ("faites", Status::Done),
    ("termines", Status::Done),
    ("terminees", Status::Done),
    ("acheves", Status::Done),
    ("achevees", Status::Done),
    ("realises", Status::Done),
    ("realisees", Status::Done),
    ("executes", Status::Done),
    ("finalises", Status::Done),
    ("boucle", Status::Done),
    ("bouclee", Status::Done),
    ("annules", Status::Cancelled),
    ("annulees", Status::Cancelled),
    ("suspendus", Status::Suspended),
    ("suspendues", Status::Suspended),
    ("bloques", Status::Blocked),
    ("bloquees", Status::Blocked),
    ("faite", Status::Done),
    ("faits", Status::Done),
    ("termine", Status::Done),
    ("terminee", Status::Done),
    ("acheve", Status::Done),
    ("achevee", Status::Done),
    ("realise", Status::Done),
    ("realisee", Status::Done),
    ("execute", Status::Done),
    ("executee", Status::Done),
    ("finalise", Status::Done),
    ("finalisee", Status::Done),
    ("done", Status::Done),
    ("finished", Status::Done),
    ("completed", Status::Done),
    ("complete", Status::Done),
    ("en cours", Status::InProgress),
    ("en cour", Status::InProgress),
    ("commence", Status::InProgress),
    ("commencee", Status::InProgress),
    ("demarre", Status::InProgress),
    ("demarree", Status::InProgress),
    ("in progress", Status::InProgress),
    ("started", Status::InProgress),
    ("ongoing", Status::InProgress),
    ("under way", Status::InProgress),
    ("underway", Status::InProgress),
    ("suspendu", Status::Suspended),
    ("suspendue", Status::Suspended),
    ("suspended", Status::Suspended),
    ("on hold", Status::Suspended),
    ("annule", Status::Cancelled),
    ("annulee", Status::Cancelled),
    ("cancelled", Status::Cancelled),
    ("canceled", Status::Cancelled),
    ("bloque", Status::Blocked),
    ("bloquee", Status::Blocked),
    ("blocked", Status::Blocked),
];

/// Words that may stand before a status and add nothing: `c'est fait`, `toujours en cours`,
/// `it has been completed`.
const FILLERS: &[&str] = &[
    "c'est ",
    "c est ",
    "cest ",
    "ce sont ",
    "la tache est ",
    "l'activite est ",
    "l'action est ",
    "tache ",
    "activite ",
    "action ",
    "activity ",
    "the activity ",
    "the task ",
    "task ",
    "travaux ",
    "les travaux ",
    "the work ",
    "work ",
    "statut ",
    "status ",
    "etat ",
    "state ",
    "toujours ",
    "encore ",
    "deja ",
    "bien ",
    "desormais ",
    "maintenant ",
    "est ",
    "a ete ",
    "ont ete ",
    "sont ",
    "it is ",
    "it's ",
    "it has been ",
    "has been ",
    "have been ",
    "is ",
    "are ",
    "was ",
    "still ",
    "already ",
    "now ",
    "all ",
    "tout est ",
];

/// Thanks and acknowledgements alone: nothing to do.
pub fn courtesy(f: &str) -> bool {
    let f = f.trim().trim_end_matches(['.', '!', ',', ' ']);
    [
        "merci",
        "merci beaucoup",
        "merci bien",
        "bien recu",
        "bien recu merci",
        "bien recu, merci",
        "recu",
        "recu merci",
        "recu, merci",
        "bien note",
        "bien note merci",
        "bien note, merci",
        "note",
        "ok",
        "ok merci",
        "ok, merci",
        "d'accord",
        "entendu",
        "thanks",
        "thank you",
        "many thanks",
        "received",
        "well received",
        "noted",
        "noted, thanks",
        "ok thanks",
        "ok, thanks",
    ]
    .contains(&f)
}

/// `statut : fait` → `fait`; `c'est toujours en cours` → `en cours`.
fn without_fillers(f: &str) -> &str {
    let mut t = f.trim_start();
    'again: loop {
        for label in ["statut", "status", "etat", "state"] {
            if let Some(rest) = t.strip_prefix(label) {
                if let Some(r) = rest.trim_start().strip_prefix([':', '-', '=']) {
                    t = r.trim_start();
                    continue 'again;
                }
            }
        }
        for p in FILLERS {
            if let Some(r) = t.strip_prefix(p) {
                t = r.trim_start();
                continue 'again;
            }
        }
        return t;
    }
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

/// What follows a keyword: its separator and spaces removed.
fn value_after(rest: &str) -> &str {
    rest.trim_start()
        .trim_start_matches([':', '=', '–'])
        .trim_start()
}

/// Reads one instruction (a clause without its task).
pub fn read_item(segment: &str) -> Item {
    let original = segment
        .trim()
        .trim_end_matches(['.', '!', ',', ';', ' '])
        .to_string();
    let text = Folded::new(&original);
    let f_all = text.folded.as_str();
    if courtesy(f_all) {
        return Item::Courtesy;
    }
    let f = without_fillers(f_all);
    let offset = f_all.len() - f.len();
    let tail = |start_in_f: usize| text.original(offset + start_in_f, f_all.len());
    // `pas encore fait`, `fait, mais pas complètement`: never a status. A negation after the
    // status's separator is its reason's (`bloqué, pas de budget`).
    let first = f_all
        .split([',', ';', ':', '(', '—', '–'])
        .next()
        .unwrap_or_default();
    let negated = [
        " pas", "pas ", "not ", "non ", "n'est", "isn't", "aucun", "jamais", "never",
    ]
    .iter()
    .any(|n| first.contains(n))
        || [
            "mais pas",
            "pas completement",
            "pas entierement",
            "pas encore",
            "partiellement",
            "en partie",
            "partially",
            "not fully",
            "not completely",
            "not yet",
        ]
        .iter()
        .any(|n| f_all.contains(n));
    if let Some(item) = status(f, &tail, negated) {
        return item;
    }
    for word in ["note", "commentaire", "comment", "remarque", "observation"] {
        if let Some(rest) = starts_word(f, word) {
            let text = tail(f.len() - value_after(rest).len());
            if !text.trim().is_empty() {
                return Item::Note(text.trim().to_string());
            }
        }
    }
    if let Some(item) = postponement(f, &tail) {
        return item;
    }
    if let Some(item) = progress(f, &original) {
        return item;
    }
    if let Some(item) = spending(f, &tail, &original) {
        return item;
    }
    Item::Unknown(original)
}

/// A status word (after fillers), with what follows it: a day (`le 12 mars`), a note (`, rapport
/// transmis`), nothing, or thanks.
fn status(f: &str, tail: &dyn Fn(usize) -> String, negated: bool) -> Option<Item> {
    for (word, status) in STATUS_WORDS {
        let Some(rest) = starts_word(f, word) else {
            continue;
        };
        if negated {
            return None;
        }
        let trimmed = rest.trim_start_matches([' ', ',']);
        // The blocked reason follows without punctuation too: `bloqué en attente des fonds`.
        let (on, after_date) = match date_phrase(trimmed) {
            Some((when, used)) => (Some(when), &trimmed[used..]),
            None => (None, trimmed),
        };
        let leftover = after_date.trim_matches(|c: char| !c.is_alphanumeric());
        if leftover.is_empty() || courtesy(leftover) {
            return Some(Item::Status {
                status: *status,
                note: None,
                on,
            });
        }
        let opens = rest
            .trim_start()
            .starts_with([',', ':', '-', '(', '–', '—', '.', ';']);
        let spaced = rest.starts_with(' ') && *status != Status::Done;
        if on.is_some() || opens || *status == Status::Blocked || spaced {
            let start = f.len() - after_date.len();
            let note = tail(start);
            let note = note
                .trim_start_matches([',', ':', '-', '(', '–', '—', '.', ' '])
                .trim_end_matches(')')
                .trim();
            return Some(Item::Status {
                status: *status,
                note: (!note.is_empty()).then(|| note.to_string()),
                on,
            });
        }
        return None;
    }
    None
}

const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("january", 1),
    ("jan", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("february", 2),
    ("feb", 2),
    ("mars", 3),
    ("march", 3),
    ("mar", 3),
    ("avril", 4),
    ("avr", 4),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juin", 6),
    ("june", 6),
    ("jun", 6),
    ("juillet", 7),
    ("juil", 7),
    ("july", 7),
    ("jul", 7),
    ("aout", 8),
    ("august", 8),
    ("aug", 8),
    ("septembre", 9),
    ("sept", 9),
    ("september", 9),
    ("sep", 9),
    ("octobre", 10),
    ("october", 10),
    ("oct", 10),
    ("novembre", 11),
    ("november", 11),
    ("nov", 11),
    ("decembre", 12),
    ("december", 12),
    ("dec", 12),
];

/// A day after a status: `le 12 mars [2026]`, `depuis le 12/03`, `on 2025-10-12`, `since 12
/// March`, `hier`, `last week`; what it says and the bytes it takes.
pub fn date_phrase(f: &str) -> Option<(When, usize)> {
    for (words, days) in [
        ("aujourd'hui", 0),
        ("ce jour", 0),
        ("today", 0),
        ("hier", 1),
        ("yesterday", 1),
        ("avant-hier", 2),
        ("la semaine derniere", 7),
        ("la semaine passee", 7),
        ("last week", 7),
    ] {
        if let Some(rest) = starts_word(f, words) {
            return Some((When::DaysAgo(days), f.len() - rest.len()));
        }
    }
    for (n, (fr, en)) in [
        ("lundi", "monday"),
        ("mardi", "tuesday"),
        ("mercredi", "wednesday"),
        ("jeudi", "thursday"),
        ("vendredi", "friday"),
        ("samedi", "saturday"),
        ("dimanche", "sunday"),
    ]
    .iter()
    .enumerate()
    {
        for phrase in [
            format!("{fr} dernier"),
            format!("last {en}"),
            format!("on {en}"),
        ] {
            if let Some(rest) = starts_word(f, &phrase) {
                return Some((When::LastWeekday(n as u32), f.len() - rest.len()));
            }
        }
    }
    let mut t = f;
    let mut lead = false;
    for p in [
        "depuis le ",
        "depuis ",
        "en date du ",
        "a la date du ",
        "le ",
        "since ",
        "on ",
        "as of ",
    ] {
        if let Some(r) = t.strip_prefix(p) {
            t = r;
            lead = true;
            break;
        }
    }
    if !lead {
        return None;
    }
    let (when, used) = day(t)?;
    Some((when, f.len() - t.len() + used))
}

/// `12 mars`, `12 mars 2026`, `1er mars`, `12/03`, `12/03/2026`, `12.03.2026`, `2026-03-12`,
/// `March 12, 2026`.
fn day(t: &str) -> Option<(When, usize)> {
    let num = |s: &str| -> (String, usize) {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        let n = d.len();
        (d, n)
    };
    let (first, n1) = num(t);
    if n1 == 4 {
        // 2026-03-12
        let rest = t[4..].strip_prefix('-')?;
        let (m, n2) = num(rest);
        let rest2 = rest[n2..].strip_prefix('-')?;
        let (d, n3) = num(rest2);
        let when = When::Day {
            day: d.parse().ok()?,
            month: m.parse().ok()?,
            year: first.parse().ok(),
        };
        return valid(when).then_some((when, 4 + 1 + n2 + 1 + n3));
    }
    if (1..=2).contains(&n1) {
        let mut pos = n1;
        if t[pos..].starts_with("er") {
            pos += 2;
        }
        let d: u32 = first.parse().ok()?;
        if let Some(rest) = t[pos..].strip_prefix(['/', '.']) {
            let (m, n2) = num(rest);
            if !(1..=2).contains(&n2) {
                return None;
            }
            pos += 1 + n2;
            let mut year = None;
            if let Some(r) = t[pos..].strip_prefix(['/', '.']) {
                let (y, n3) = num(r);
                if n3 == 4 || n3 == 2 {
                    let y: i32 = y.parse().ok()?;
                    year = Some(if n3 == 2 { 2000 + y } else { y });
                    pos += 1 + n3;
                }
            }
            let when = When::Day {
                day: d,
                month: m.parse().ok()?,
                year,
            };
            return valid(when).then_some((when, pos));
        }
        let rest = t[pos..].strip_prefix(' ')?;
        for (name, m) in MONTHS {
            if let Some(after) = starts_word(rest, name) {
                let after = after.strip_prefix('.').unwrap_or(after);
                pos += 1 + (rest.len() - after.len());
                let mut year = None;
                if let Some(r) = t[pos..].strip_prefix(' ') {
                    let (y, n3) = num(r);
                    if n3 == 4 {
                        year = y.parse().ok();
                        pos += 1 + 4;
                    }
                }
                let when = When::Day {
                    day: d,
                    month: *m,
                    year,
                };
                return valid(when).then_some((when, pos));
            }
        }
        return None;
    }
    // `March 12[, 2026]`
    for (name, m) in MONTHS {
        if let Some(after) = starts_word(t, name) {
            let after = after.strip_prefix('.').unwrap_or(after).strip_prefix(' ')?;
            let (d, n2) = num(after);
            if !(1..=2).contains(&n2) {
                return None;
            }
            let mut pos = t.len() - after.len() + n2;
            for suffix in ["st", "nd", "rd", "th"] {
                if t[pos..].starts_with(suffix) {
                    pos += 2;
                }
            }
            let mut year = None;
            let r = t[pos..].trim_start_matches(',');
            if let Some(r2) = r.strip_prefix(' ') {
                let (y, n3) = num(r2);
                if n3 == 4 {
                    year = y.parse().ok();
                    pos = t.len() - r2.len() + 4;
                }
            }
            let when = When::Day {
                day: d.parse().ok()?,
                month: *m,
                year,
            };
            return valid(when).then_some((when, pos));
        }
    }
    None
}

fn valid(when: When) -> bool {
    match when {
        When::Day { day, month, year } => {
            let y = year.unwrap_or(2024); // a leap year: 29/02 without a year is possible
            chrono::NaiveDate::from_ymd_opt(y, month, day).is_some()
        }
        When::DaysAgo(_) | When::LastWeekday(_) => true,
    }
}

/// `report : T1 2026`, `nouvelle échéance : 2026-03-31`, `reporter au T2` (asked back: which
/// year?).
fn postponement(f: &str, tail: &dyn Fn(usize) -> String) -> Option<Item> {
    let whole = f.len();
    let f = [
        "a ",
        "please ",
        "merci de ",
        "nous demandons de ",
        "we ask to ",
        "kindly ",
    ]
    .iter()
    .find_map(|p| f.strip_prefix(p))
    .unwrap_or(f);
    for word in [
        "nouvelle echeance",
        "new deadline",
        "demande de report",
        "report",
        "reporte",
        "reportee",
        "reporter",
        "postpone",
        "postponed",
        "postponement",
    ] {
        let Some(rest) = starts_word(f, word) else {
            continue;
        };
        let value = value_after(rest);
        let value = ["au ", "a ", "en ", "to ", "until ", "till "]
            .iter()
            .find_map(|p| value.strip_prefix(p))
            .unwrap_or(value);
        let text = tail(whole - value.len()).trim().to_string();
        if text.is_empty() {
            continue;
        }
        // `report sent to the delegation` is no postponement: a postponement names a day or a
        // period.
        let names_time = value.contains(|c: char| c.is_ascii_digit())
            || [
                "trimestre",
                "semestre",
                "quarter",
                "semester",
                "mois",
                "month",
                "annee",
                "year",
                "fin ",
                "end of",
                "prochain",
                "next",
            ]
            .iter()
            .any(|w| value.contains(w))
            || value
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| MONTHS.iter().any(|(m, _)| w == *m));
        if !names_time {
            continue;
        }
        let has_year = value
            .split(|c: char| !c.is_ascii_digit())
            .any(|d| d.len() == 4);
        let period_word = value.trim_end_matches(['.', ' ']);
        let short = {
            let mut cs = period_word.chars();
            matches!(cs.next(), Some('t' | 'q' | 's' | 'h'))
                && matches!(cs.next(), Some('1'..='4'))
                && cs.next().is_none()
        };
        let spelled = period_word.contains("trimestre")
            || period_word.contains("semestre")
            || period_word.contains("quarter")
            || period_word.contains("semester");
        if !has_year && (short || spelled) {
            return Some(Item::PostponeWithoutYear(text));
        }
        return Some(Item::Postpone(text));
    }
    None
}

/// A progress: `avancement 60`, `60 %`, `on est à 70 %`, `70 pour cent`, `80 % réalisé`, `We are
/// at 80%`. A minus sign makes it [`Item::Negative`].
fn progress(f: &str, original: &str) -> Option<Item> {
    let mut t = f.trim_start();
    let mut keyword = false;
    'again: loop {
        for p in [
            "avancement",
            "progression",
            "progres",
            "progress",
            "avance",
            "taux de realisation",
            "taux d'execution",
            "taux d'avancement",
            "niveau de realisation",
            "niveau d'execution",
            "execution physique",
        ] {
            if let Some(r) = starts_word(t, p) {
                t = r.trim_start().trim_start_matches([':', '=']).trim_start();
                // `avancement - 40 %`: a dash before a space separates; before a digit it is
                // a minus sign.
                if let Some(after) = t.strip_prefix(['-', '–']).filter(|a| a.starts_with(' ')) {
                    t = after.trim_start();
                }
                keyword = true;
                continue 'again;
            }
        }
        for p in [
            "we're now at ",
            "we are now at ",
            "now at ",
            "on est maintenant a ",
            "on est a ",
            "on en est a ",
            "nous sommes a ",
            "nous en sommes a ",
            "nous sommes ",
            "we are at ",
            "we're at ",
            "we are ",
            "it is at ",
            "it's at ",
            "realise a ",
            "realisee a ",
            "execute a ",
            "executee a ",
            "completed at ",
            "done at ",
            "is at ",
            "est de ",
            "est a ",
            "is ",
            "a ",
            "at ",
            "de ",
            "environ ",
            "about ",
            "around ",
            "approximately ",
            "approx ",
            "pres de ",
            "actuellement ",
            "currently ",
            "d'environ ",
        ] {
            if let Some(r) = t.strip_prefix(p) {
                t = r;
                keyword = keyword || !["a ", "at ", "de ", "is "].contains(&p);
                continue 'again;
            }
        }
        break;
    }
    let negative = t.starts_with('-');
    let t = t.trim_start_matches('-').trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    let after = &t[digits.len()..];
    // `70,5 %` is not a whole percentage: read as written, never as 70 or 5.
    if after.starts_with([',', '.']) && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let after = after.trim_start();
    let (has_percent, rest) = if let Some(r) = after.strip_prefix('%') {
        (true, r)
    } else if let Some(r) = ["pour cent", "pourcent", "percent", "per cent", "pct"]
        .iter()
        .find_map(|p| starts_word(after, p))
    {
        (true, r)
    } else {
        (false, after)
    };
    if !has_percent && !keyword {
        return None;
    }
    let rest = rest
        .trim()
        .trim_start_matches([',', '-', '–'])
        .trim()
        .trim_end_matches(['.', '!']);
    let done_words = [
        "",
        "realise",
        "realises",
        "realisee",
        "realisees",
        "execute",
        "fait",
        "done",
        "complete",
        "completed",
        "achieved",
        "d'avancement",
        "d'execution",
        "de realisation",
        "environ",
        "approximativement",
        "completion",
        "of completion",
        "complete so far",
        "done so far",
        "so far",
        "a ce jour",
        "jusqu'ici",
        "pour l'instant",
        "pour le moment",
        "realise a ce jour",
        "realises a ce jour",
    ];
    if !done_words.contains(&rest) && !courtesy(rest) {
        return None;
    }
    if negative {
        return Some(Item::Negative(original.to_string()));
    }
    let n: i64 = digits.parse().ok()?;
    Some(if (0..=100).contains(&n) {
        Item::Progress(n)
    } else {
        Item::ProgressOutOfRange(n)
    })
}

const SPENDING_WORDS: &[&str] = &[
    "montant depense",
    "montant decaisse",
    "montants depenses",
    "montant engage et depense",
    "depenses",
    "depensees",
    "depensee",
    "depense",
    "decaissement",
    "decaisses",
    "decaissee",
    "decaisse",
    "spent",
    "spending",
    "expenditure",
    "expenses",
    "disbursed",
];

/// A spending line: a spending word then an amount (`dépensé 2,5 M FCFA`, `montant dépensé : 3 750
/// 000 FCFA`), or an amount then the word (`1.500.000 F CFA dépensés pour la session`); what
/// follows becomes the entry's note.
fn spending(f: &str, tail: &dyn Fn(usize) -> String, original: &str) -> Option<Item> {
    let starts = [
        "nous avons ",
        "on a ",
        "we have ",
        "we ",
        "j'ai ",
        "ont ete ",
        "a ete ",
        "total ",
    ];
    let mut t = f;
    for p in starts {
        if let Some(r) = t.strip_prefix(p) {
            t = r;
        }
    }
    // Word first.
    for word in SPENDING_WORDS {
        if let Some(rest) = starts_word(t, word) {
            let value = value_after(rest);
            let value = ["de ", "of ", "a hauteur de ", "pour ", "total "]
                .iter()
                .find_map(|p| value.strip_prefix(p))
                .unwrap_or(value);
            return Some(match amount_at(value) {
                Ok(Some((a, used))) => spent(a, &value[used..], f, tail),
                Ok(None) => Item::BadAmount(original.to_string()),
                Err(()) => Item::Negative(original.to_string()),
            });
        }
    }
    // Amount first, then the word.
    if let Ok(Some((a, used))) = amount_at(t) {
        let rest = t[used..].trim_start();
        let rest = [
            "ont ete ",
            "a ete ",
            "have been ",
            "were ",
            "was ",
            "deja ",
            "already ",
        ]
        .iter()
        .fold(rest, |r, p| r.strip_prefix(p).unwrap_or(r));
        for word in SPENDING_WORDS {
            if let Some(after) = starts_word(rest, word) {
                return Some(spent(a, after, f, tail));
            }
        }
    }
    if t.starts_with('-') {
        if let Ok(Some(_)) | Err(()) = amount_at(t) {
            let rest = t.trim_start_matches(['-', ' ']);
            if SPENDING_WORDS.iter().any(|w| rest.contains(w)) {
                return Some(Item::Negative(original.to_string()));
            }
        }
    }
    None
}

fn spent(a: Amount, after: &str, f: &str, tail: &dyn Fn(usize) -> String) -> Item {
    let mut after_amount = after;
    let mut funder = a.funder;
    if funder.is_none() {
        if let Some((name, used)) = bracketed(after_amount.trim_start()) {
            funder = Some(name);
            after_amount = &after_amount.trim_start()[used..];
        }
    }
    let note_text = tail(f.len() - after_amount.len());
    let note = note_text
        .trim()
        .trim_start_matches([',', ':', '-', '–', '—', '(', ' '])
        .trim_end_matches(')')
        .trim();
    Item::Spent {
        amount: a.value,
        currency: a.currency,
        funder: funder.map(|f| f.to_uppercase()),
        note: (!note.is_empty()).then(|| note.to_string()),
    }
}

/// `(UE)` at the start of `s`: the name in brackets and the bytes taken.
fn bracketed(s: &str) -> Option<(String, usize)> {
    let inner = s.strip_prefix('(')?;
    let close = inner.find(')')?;
    let name = inner[..close].trim();
    (!name.is_empty() && name.len() <= 40 && !name.contains(|c: char| c.is_ascii_digit()))
        .then(|| (name.to_string(), close + 2))
}

/// An amount read from the start of a text.
#[derive(Debug, Clone, PartialEq)]
struct Amount {
    value: f64,
    currency: Option<String>,
    funder: Option<String>,
}

fn currency_at(s: &str) -> Option<(String, usize)> {
    for (word, code) in [
        ("francs cfa", "XOF"),
        ("franc cfa", "XOF"),
        ("f cfa", "XOF"),
        ("fcfa", "XOF"),
        ("cfa", "XOF"),
        ("xof", "XOF"),
        ("francs", "XOF"),
        ("f", "XOF"),
        ("euros", "EUR"),
        ("euro", "EUR"),
        ("eur", "EUR"),
        ("€", "EUR"),
        ("usd", "USD"),
        ("us$", "USD"),
        ("$", "USD"),
        ("dollars", "USD"),
        ("dollar", "USD"),
    ] {
        if word.starts_with(|c: char| c.is_alphabetic()) {
            if let Some(r) = starts_word(s, word) {
                return Some((code.to_string(), s.len() - r.len()));
            }
        } else if let Some(r) = s.strip_prefix(word) {
            return Some((code.to_string(), s.len() - r.len()));
        }
    }
    // Any other three-letter code.
    let code: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if code.len() == 3
        && !["les", "des", "pour", "par", "and", "the", "for"].contains(&code.as_str())
    {
        return Some((code.to_ascii_uppercase(), 3));
    }
    None
}

/// `2 500 000`, `1.500.000 F CFA`, `1,5 million`, `2,5 M FCFA`, `EUR 2 000,50`, `750k`: an amount
/// at the start of `s` (folded) and the bytes it takes. `Err` for a minus sign; `Ok(None)` when
/// no amount stands there.
fn amount_at(s: &str) -> Result<Option<(Amount, usize)>, ()> {
    let mut pos = 0;
    let mut currency = None;
    if let Some((code, used)) = currency_at(s).filter(|(_, used)| {
        s[*used..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit() || c == '-')
    }) {
        currency = Some(code);
        pos = used + (s[used..].len() - s[used..].trim_start().len());
    }
    if s[pos..].starts_with('-') {
        return Err(());
    }
    // The number: digits with group and decimal separators; a space continues it only before
    // three digits (`3 750 000`, not `2 M`).
    let bytes = s.as_bytes();
    let start = pos;
    let mut end = pos;
    while end < s.len() {
        let c = bytes[end];
        let separator = matches!(c, b'.' | b',' | b'\'')
            && end + 1 < s.len()
            && bytes[end + 1].is_ascii_digit()
            && end > start;
        if c.is_ascii_digit() || separator {
            end += 1;
        } else if c == b' ' && end > start {
            let group: String = s[end + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let prev_digits = s[start..end]
                .rsplit(|c: char| !c.is_ascii_digit())
                .next()
                .map_or(0, str::len);
            if group.len() == 3 && prev_digits <= 3 && !s[start..end].contains([',']) {
                end += 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    if end == start {
        return Ok(None);
    }
    let number: String = s[start..end]
        .chars()
        .filter(|c| !matches!(c, ' ' | '\''))
        .collect();
    let Some(mut value) = number_value(&number) else {
        return Ok(None);
    };
    pos = end;
    // A multiplier: million, M, milliard, Md, mille, k.
    let rest = &s[pos..];
    let spaced = rest.trim_start();
    for (word, factor) in [
        ("milliards", 1e9),
        ("milliard", 1e9),
        ("mds", 1e9),
        ("md", 1e9),
        ("mrd", 1e9),
        ("billion", 1e9),
        ("bn", 1e9),
        ("millions", 1e6),
        ("million", 1e6),
        ("mio", 1e6),
        ("mln", 1e6),
        ("m", 1e6),
        ("mille", 1e3),
        ("k", 1e3),
    ] {
        if let Some(r) = starts_word(spaced, word) {
            value *= factor;
            pos = s.len() - r.len();
            break;
        }
    }
    let rest = s[pos..].trim_start();
    let rest = ["de ", "d'"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    if currency.is_none() {
        if let Some((code, used)) = currency_at(rest) {
            currency = Some(code);
            pos = s.len() - rest.len() + used;
        }
    }
    let value = (value * 100.0).round() / 100.0;
    if !value.is_finite() || value <= 0.0 || value > crate::plan::values::MAX_AMOUNT {
        return Ok(None);
    }
    let mut funder = None;
    if let Some((name, used)) = bracketed(s[pos..].trim_start()) {
        funder = Some(name);
        pos = s.len() - s[pos..].trim_start().len() + used;
    }
    Ok(Some((
        Amount {
            value,
            currency,
            funder,
        },
        pos,
    )))
}

/// `1.500.000` → 1500000, `1,5` → 1.5, `1,200.50` → 1200.5, `2 500 000` (spaces removed).
fn number_value(number: &str) -> Option<f64> {
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
        (true, false) if grouped('.') && number.matches('.').count() > 1 => number.replace('.', ""),
        (true, false) if grouped('.') => number.replace('.', ""),
        // `15,000`: no money has three decimals; a comma before three digits groups them.
        (false, true) if grouped(',') => number.replace(',', ""),
        (false, true) => number.replace(',', "."),
        _ => number.to_string(),
    };
    value.parse().ok()
}

/// An amount as a whole text (`2 500 000 FCFA`, `1,5 million`): the amount and its currency
/// (`None`: the plan's). `None` when the text is not exactly one amount.
pub fn amount(text: &str) -> Option<(f64, Option<String>)> {
    let folded = Folded::new(text.trim().trim_end_matches('.'));
    match amount_at(&folded.folded) {
        Ok(Some((a, used))) if folded.folded[used..].trim().is_empty() => {
            Some((a.value, a.currency))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        vec![
            "axe-1.a1".into(),
            "axe-1.a2".into(),
            "axe-2.a3".into(),
            "axe-3.a6@2026-03-31".into(),
            "axe-2.a4".into(),
            "axe-2.a5".into(),
            "axe-3.a7".into(),
        ]
    }

    /// The tasks and items of a line, one pair per task.
    fn read(line: &str) -> Vec<(TaskRef, Vec<Item>)> {
        read_line(line, &ids())
            .into_iter()
            .map(|l| (l.task, l.items))
            .collect()
    }

    fn one(line: &str) -> (TaskRef, Vec<Item>) {
        let mut all = read(line);
        assert_eq!(all.len(), 1, "{line}: {all:?}");
        all.remove(0)
    }

    fn task(id: &str) -> TaskRef {
        TaskRef::Task(id.into())
    }

    fn st(status: Status) -> Item {
        Item::Status {
            status,
            note: None,
            on: None,
        }
    }

    fn st_note(status: Status, note: &str) -> Item {
        Item::Status {
            status,
            note: Some(note.into()),
            on: None,
        }
    }

    fn spent(amount: f64, currency: Option<&str>) -> Item {
        Item::Spent {
            amount,
            currency: currency.map(String::from),
            funder: None,
            note: None,
        }
    }

    #[test]
    fn the_plain_forms_of_the_spec() {
        assert_eq!(one("1 : fait"), (task("axe-1.a1"), vec![st(Status::Done)]));
        assert_eq!(
            one("2 - Terminé."),
            (task("axe-1.a2"), vec![st(Status::Done)])
        );
        assert_eq!(one("3. done"), (task("axe-2.a3"), vec![st(Status::Done)]));
        assert_eq!(
            one("2 : avancement 60 %"),
            (task("axe-1.a2"), vec![Item::Progress(60)])
        );
        assert_eq!(one("2: 60%"), (task("axe-1.a2"), vec![Item::Progress(60)]));
        assert_eq!(
            one("1 : progress 45"),
            (task("axe-1.a1"), vec![Item::Progress(45)])
        );
        assert_eq!(
            one("1 : avancement 150"),
            (task("axe-1.a1"), vec![Item::ProgressOutOfRange(150)])
        );
        assert_eq!(
            one("AXE-2.A3 : bloqué, en attente des fonds"),
            (
                task("axe-2.a3"),
                vec![st_note(Status::Blocked, "en attente des fonds")]
            )
        );
        assert_eq!(
            one("axe-1.a1 - en cours"),
            (task("axe-1.a1"), vec![st(Status::InProgress)])
        );
        assert_eq!(
            one("2 : en cours ; avancement 40"),
            (
                task("axe-1.a2"),
                vec![st(Status::InProgress), Item::Progress(40)]
            )
        );
        assert_eq!(
            one("2 - en cours, avancement 40 %"),
            (
                task("axe-1.a2"),
                vec![st(Status::InProgress), Item::Progress(40)]
            )
        );
        assert_eq!(
            one("1 : dépensé 2 500 000 FCFA"),
            (task("axe-1.a1"), vec![spent(2_500_000.0, Some("XOF"))])
        );
        assert_eq!(
            one("2: spent 1,200.50 EUR"),
            (task("axe-1.a2"), vec![spent(1200.5, Some("EUR"))])
        );
        assert_eq!(
            one("1 : note : Réunion tenue ; compte rendu à venir"),
            (
                task("axe-1.a1"),
                vec![Item::Note("Réunion tenue; compte rendu à venir".into())]
            )
        );
        assert_eq!(
            one("3 : report : T1 2026"),
            (task("axe-2.a3"), vec![Item::Postpone("T1 2026".into())])
        );
        assert_eq!(
            one("3 : nouvelle échéance : 2026-03-31"),
            (task("axe-2.a3"), vec![Item::Postpone("2026-03-31".into())])
        );
        assert_eq!(
            one("Suspendu"),
            (TaskRef::Unnamed, vec![st(Status::Suspended)])
        );
        assert_eq!(
            one("statut : fait"),
            (TaskRef::Unnamed, vec![st(Status::Done)])
        );
        assert_eq!(
            one("2 : 80 % réalisé"),
            (task("axe-1.a2"), vec![Item::Progress(80)])
        );
        assert_eq!(
            one("C'est fait, merci !"),
            (TaskRef::Unnamed, vec![st(Status::Done)])
        );
        assert_eq!(
            one("1 : Fait, rapport joint"),
            (
                task("axe-1.a1"),
                vec![st_note(Status::Done, "rapport joint")]
            )
        );
        assert_eq!(
            one("N°3 : annulé"),
            (task("axe-2.a3"), vec![st(Status::Cancelled)])
        );
        assert_eq!(
            one("1 : pas encore fait"),
            (
                task("axe-1.a1"),
                vec![Item::Unknown("pas encore fait".into())]
            )
        );
        assert_eq!(
            one("9 : fait"),
            (TaskRef::NoSuchNumber(9), vec![st(Status::Done)])
        );
        assert_eq!(
            one("Tâche 2 : fait"),
            (task("axe-1.a2"), vec![st(Status::Done)])
        );
        assert_eq!(one("1 fait"), (task("axe-1.a1"), vec![st(Status::Done)]));
        assert_eq!(
            one("La réunion a eu lieu"),
            (
                TaskRef::Unnamed,
                vec![Item::Unknown("La réunion a eu lieu".into())]
            )
        );
    }

    #[test]
    fn a_status_with_its_day_and_its_words() {
        assert_eq!(
            one("C'est fait depuis le 12 mars"),
            (
                TaskRef::Unnamed,
                vec![Item::Status {
                    status: Status::Done,
                    note: None,
                    on: Some(When::Day {
                        day: 12,
                        month: 3,
                        year: None
                    })
                }]
            )
        );
        assert_eq!(
            one("Terminé le 15 mars. Rapport transmis par courrier"),
            (
                TaskRef::Unnamed,
                vec![Item::Status {
                    status: Status::Done,
                    note: Some("Rapport transmis par courrier".into()),
                    on: Some(When::Day {
                        day: 15,
                        month: 3,
                        year: None
                    })
                }]
            )
        );
        assert_eq!(
            one("6 : fait — arrêté n° 2026-0123 du 10 mars"),
            (
                task("axe-2.a5"),
                vec![st_note(Status::Done, "arrêté n° 2026-0123 du 10 mars")]
            )
        );
        assert_eq!(
            one("Completed last week"),
            (
                TaskRef::Unnamed,
                vec![Item::Status {
                    status: Status::Done,
                    note: None,
                    on: Some(When::DaysAgo(7))
                }]
            )
        );
        assert_eq!(
            one("2 : done on 2025-10-12"),
            (
                task("axe-1.a2"),
                vec![Item::Status {
                    status: Status::Done,
                    note: None,
                    on: Some(When::Day {
                        day: 12,
                        month: 10,
                        year: Some(2025)
                    })
                }]
            )
        );
        assert_eq!(
            one("fait le 12/10"),
            (
                TaskRef::Unnamed,
                vec![Item::Status {
                    status: Status::Done,
                    note: None,
                    on: Some(When::Day {
                        day: 12,
                        month: 10,
                        year: None
                    })
                }]
            )
        );
        assert_eq!(
            one("fait, rapport transmis"),
            (
                TaskRef::Unnamed,
                vec![st_note(Status::Done, "rapport transmis")]
            )
        );
        // `Fait le point avec la DGME` is not `done`.
        assert!(matches!(
            one("Fait le point avec la DGME").1[..],
            [Item::Unknown(_)]
        ));
    }

    #[test]
    fn progress_in_a_sentence() {
        for (line, p) in [
            ("on est à 70%", 70),
            ("Nous sommes à 90 %", 90),
            ("We are at 80%", 80),
            ("70 pour cent", 70),
            ("80% réalisé", 80),
            ("avancement : 35 %", 35),
            ("taux de réalisation 50 %", 50),
        ] {
            assert_eq!(
                one(line),
                (TaskRef::Unnamed, vec![Item::Progress(p)]),
                "{line}"
            );
        }
        // Not a progress: a share of something else.
        assert!(matches!(
            one("70 % des fonds sont arrivés").1[..],
            [Item::Unknown(_)]
        ));
    }

    #[test]
    fn a_minus_sign_is_never_dropped() {
        assert!(matches!(
            one("1 : avancement -5 %").1[..],
            [Item::Negative(_)]
        ));
        assert!(matches!(
            one("1 : dépensé -2 500 000 FCFA").1[..],
            [Item::Negative(_)]
        ));
        assert!(matches!(one("avancement −5 %").1[..], [Item::Negative(_)]));
        assert!(matches!(
            one("1 : avancement : \u{2212}5").1[..],
            [Item::Negative(_)]
        ));
        assert!(matches!(one("1 : -5 %").1[..], [Item::Negative(_)]));
        assert!(matches!(
            one("1 : dépensé : -2 500 000 FCFA").1[..],
            [Item::Negative(_)]
        ));
        assert_eq!(one("1 : avancement - 40 %").1, vec![Item::Progress(40)]);
    }

    #[test]
    fn amounts_as_people_write_them() {
        assert_eq!(
            one("1.500.000 F CFA dépensés pour la session"),
            (
                TaskRef::Unnamed,
                vec![Item::Spent {
                    amount: 1_500_000.0,
                    currency: Some("XOF".into()),
                    funder: None,
                    note: Some("pour la session".into())
                }]
            )
        );
        assert_eq!(
            one("2 : montant dépensé 3 750 000 FCFA"),
            (task("axe-1.a2"), vec![spent(3_750_000.0, Some("XOF"))])
        );
        assert_eq!(
            one("5 : dépense: 1,5 million FCFA"),
            (task("axe-2.a4"), vec![spent(1_500_000.0, Some("XOF"))])
        );
        assert_eq!(
            one("1 : dépensé 2,5 M FCFA"),
            (task("axe-1.a1"), vec![spent(2_500_000.0, Some("XOF"))])
        );
        assert_eq!(
            one("1 : dépensé 2 500 000 FCFA (UE)"),
            (
                task("axe-1.a1"),
                vec![Item::Spent {
                    amount: 2_500_000.0,
                    currency: Some("XOF".into()),
                    funder: Some("UE".into()),
                    note: None
                }]
            )
        );
        assert!(matches!(
            one("1 : dépensé beaucoup").1[..],
            [Item::BadAmount(_)]
        ));
        assert_eq!(amount("2 500 000"), Some((2_500_000.0, None)));
        assert_eq!(
            amount("2.500.000 F CFA"),
            Some((2_500_000.0, Some("XOF".into())))
        );
        assert_eq!(
            amount("2500000,50 €"),
            Some((2_500_000.5, Some("EUR".into())))
        );
        assert_eq!(amount("EUR 2 000,50"), Some((2000.5, Some("EUR".into()))));
        assert_eq!(amount("1,5 USD"), Some((1.5, Some("USD".into()))));
        assert_eq!(amount("750k"), Some((750_000.0, None)));
        assert_eq!(amount("beaucoup"), None);
        assert_eq!(amount("0"), None);
    }

    #[test]
    fn several_tasks_in_one_line() {
        assert_eq!(
            read("2 : fait ; 3 : fait ; 4 : fait"),
            vec![
                (task("axe-1.a2"), vec![st(Status::Done)]),
                (task("axe-2.a3"), vec![st(Status::Done)]),
                (task("axe-3.a6@2026-03-31"), vec![st(Status::Done)]),
            ]
        );
        assert_eq!(
            read("1 et 2 : en cours"),
            vec![
                (task("axe-1.a1"), vec![st(Status::InProgress)]),
                (task("axe-1.a2"), vec![st(Status::InProgress)]),
            ]
        );
        assert_eq!(
            read("1, 3 : fait"),
            vec![
                (task("axe-1.a1"), vec![st(Status::Done)]),
                (task("axe-2.a3"), vec![st(Status::Done)]),
            ]
        );
        assert_eq!(
            one("Point 7 : en cours"),
            (task("axe-3.a7"), vec![st(Status::InProgress)])
        );
        assert_eq!(
            one("activité 7 : fait"),
            (task("axe-3.a7"), vec![st(Status::Done)])
        );
        assert_eq!(
            read("Pour le 1 c'est fait, le 2 toujours en cours."),
            vec![
                (task("axe-1.a1"), vec![st(Status::Done)]),
                (task("axe-1.a2"), vec![st(Status::InProgress)]),
            ]
        );
    }

    /// Replies written blind by a tester who never saw this grammar, as they were misread once.
    #[test]
    fn replies_written_blind_are_read_as_meant() {
        assert_eq!(
            one("Spent 15,000 EUR so far").1[0],
            Item::Spent {
                amount: 15_000.0,
                currency: Some("EUR".into()),
                funder: None,
                note: Some("so far".into()),
            }
        );
        assert_eq!(
            one("7 : suspendu jusqu'à nouvel ordre"),
            (
                task("axe-3.a7"),
                vec![st_note(Status::Suspended, "jusqu'à nouvel ordre")]
            )
        );
        assert_eq!(
            one("Tâche 5 : annulée par décision du comité de pilotage"),
            (
                task("axe-2.a4"),
                vec![st_note(
                    Status::Cancelled,
                    "par décision du comité de pilotage"
                )]
            )
        );
        assert_eq!(
            one("Cancelled by the donor").1,
            vec![st_note(Status::Cancelled, "by the donor")]
        );
        assert_eq!(
            read("1, 2 et 3 : terminés"),
            vec![
                (task("axe-1.a1"), vec![st(Status::Done)]),
                (task("axe-1.a2"), vec![st(Status::Done)]),
                (task("axe-2.a3"), vec![st(Status::Done)]),
            ]
        );
        assert_eq!(
            read("Pour le 1 c'est fait et le 3 est toujours en cours"),
            vec![
                (task("axe-1.a1"), vec![st(Status::Done)]),
                (task("axe-2.a3"), vec![st(Status::InProgress)]),
            ]
        );
        assert_eq!(
            one("We're now at 65% completion").1,
            vec![Item::Progress(65)]
        );
        assert_eq!(
            one("Started last week, 20% done so far").1,
            vec![
                Item::Status {
                    status: Status::InProgress,
                    note: None,
                    on: Some(When::DaysAgo(7))
                },
                Item::Progress(20)
            ]
        );
        assert_eq!(
            one("6 : à reporter au T1"),
            (
                task("axe-2.a5"),
                vec![Item::PostponeWithoutYear("T1".into())]
            )
        );
        assert_eq!(
            one("Please postpone to Q2").1,
            vec![Item::PostponeWithoutYear("Q2".into())]
        );
    }

    #[test]
    fn a_recurring_task_without_its_date_is_the_listed_occurrence() {
        assert_eq!(
            one("axe-3.a6 : en cours"),
            (task("axe-3.a6@2026-03-31"), vec![st(Status::InProgress)])
        );
        let two = vec![
            "axe-3.a6@2026-03-31".to_string(),
            "axe-3.a6@2026-06-30".to_string(),
        ];
        let l = read_line("axe-3.a6 : fait", &two);
        assert_eq!(l[0].task, TaskRef::Ambiguous("axe-3.a6".into()));
    }

    #[test]
    fn thanks_and_postponements_without_a_year() {
        assert_eq!(
            one("Bien reçu, merci."),
            (TaskRef::Unnamed, vec![Item::Courtesy])
        );
        assert_eq!(one("ok"), (TaskRef::Unnamed, vec![Item::Courtesy]));
        assert_eq!(
            one("3 : reporter au T2"),
            (
                task("axe-2.a3"),
                vec![Item::PostponeWithoutYear("T2".into())]
            )
        );
        assert_eq!(
            one("3 : report au 2e trimestre"),
            (
                task("axe-2.a3"),
                vec![Item::PostponeWithoutYear("2e trimestre".into())]
            )
        );
        assert_eq!(
            one("3 : reporter au T2 2027"),
            (task("axe-2.a3"), vec![Item::Postpone("T2 2027".into())])
        );
    }
}
