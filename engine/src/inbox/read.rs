//! What a member wrote: the quoted original, greetings, thanks and the signature cut away; the
//! words written below or between quoted lines found when there are none above
//! (`mail-replies.md`, "What is read", "Where the words are"). Each line is then read by
//! `grammar.rs`. Pure functions, unit-tested here.

use super::grammar::{courtesy, read_line, Item, TaskRef};
use crate::text::fold;

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
        "cdt",
        "cdlt",
        "cdlmt",
        "slt",
        "slts",
        "bav",
        "bien a vous",
        "bien a toi",
        "salutations",
        "sinceres salutations",
        "meilleures salutations",
        "respectueusement",
        "merci",
        "merci beaucoup",
        "merci d'avance",
        "merci pour le rappel",
        "bonne journee",
        "bonne soiree",
        "a bientot",
        "regards",
        "best regards",
        "kind regards",
        "warm regards",
        "best",
        "thanks",
        "thank you",
        "many thanks",
        "sincerely",
        "yours sincerely",
        "cheers",
    ]
    .contains(&f)
        || f.starts_with("envoye de mon ")
        || f.starts_with("envoye depuis ")
        || f.starts_with("sent from my ")
        || f.starts_with("get outlook for")
        || f.starts_with("obtenir outlook pour")
        || phone_line(f)
}

/// `Tél. : +223 …`, `Mobile: …`, `+223 76 00 00 00`: a signature's phone line.
fn phone_line(f: &str) -> bool {
    let labelled = [
        "tel", "tel.", "tél", "mobile", "portable", "fax", "phone", "cell", "gsm", "cel",
    ]
    .iter()
    .any(|w| {
        f.starts_with(&format!("{w} :"))
            || f.starts_with(&format!("{w}:"))
            || f.starts_with(&format!("{w} +"))
            || f.starts_with(&format!("{w}. :"))
            || f.starts_with(&format!("{w}.:"))
    });
    let digits = f.chars().filter(char::is_ascii_digit).count();
    let bare = f.starts_with('+')
        && digits >= 8
        && f.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-' | '(' | ')' | '/'));
    labelled || bare
}

/// A greeting that opens a message (`Bonjour,`, `Hello Madam,`): not an instruction.
fn greeting(f: &str) -> bool {
    let f = f.trim_end_matches(['.', ',', '!', ' ']);
    f.chars().count() <= 40
        && !f.contains(':')
        && [
            "bonjour", "bonsoir", "hello", "hi", "dear", "madame", "monsieur", "cher", "chere",
            "salut",
        ]
        .iter()
        .any(|g| f == *g || f.starts_with(&format!("{g} ")) || f.starts_with(&format!("{g},")))
}

/// A signature's name or title line: a few capitalised words (`I. Sidibé`, `Amadou Traoré`,
/// `Le Directeur Général`, `Chef de Division`), no digits, no colon.
fn name_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || line.chars().count() > 60 {
        return false;
    }
    if line.contains([':', ';', '%']) || line.contains(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let particles = [
        "de", "du", "des", "la", "le", "les", "et", "of", "the", "and", "d'", "l'", "en", "a", "à",
    ];
    words.iter().all(|w| {
        let w = w.trim_matches(|c: char| c == ',' || c == '(' || c == ')');
        particles.contains(&w.to_lowercase().as_str())
            || w.starts_with(|c: char| c.is_uppercase())
            || w.starts_with("l'")
            || w.starts_with("d'")
    }) && words
        .iter()
        .any(|w| w.starts_with(|c: char| c.is_uppercase()))
}

/// A line that announces what follows (`Voici le point :`, `Here is the update:`): words
/// ending with a colon, no number, nothing after.
fn intro(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(':')
        && !t.contains(|c: char| c.is_ascii_digit())
        && t.split_whitespace().count() <= 8
}

/// What the member wrote, and where.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Words {
    /// The member's lines, each one possible instruction; a line written under a quoted task
    /// line is given that task's id (`axe-1.a1 : fait`).
    pub lines: Vec<String>,
    /// The words were found below the quoted message (bottom-posting or interleaved): the
    /// answer says to write above it next time.
    pub below_quote: bool,
    /// A line of thanks or acknowledgement was passed over (`Bien reçu, merci`).
    pub thanks: bool,
}

/// True when some line reads as an instruction (a status, a progress, a note…), thanks aside.
fn says_something(lines: &[String], ids: &[String]) -> bool {
    lines.iter().any(|l| {
        read_line(l, ids).iter().any(|r| {
            r.items
                .iter()
                .any(|i| !matches!(i, Item::Unknown(_) | Item::Courtesy))
        })
    })
}

/// The member's own words: every line before the quoted original, the signature or our own
/// message's text (a client that quotes without marks), without `>` lines, greetings and
/// signatures; when nothing there says anything, the lines written below or between the quoted
/// lines. `original` is the text of the message answered; `ids` the tasks it listed (its lines
/// that read as instructions, the examples of its "how to answer" block, are not used to
/// recognise it, since a member may write the same).
pub fn own_words(text: &str, original: &str, ids: &[String]) -> Words {
    let ours: std::collections::HashSet<String> = original
        .lines()
        .filter(|l| {
            read_line(l, ids)
                .iter()
                .all(|r| r.task == TaskRef::Unnamed && r.is_unknown())
        })
        .map(norm)
        .filter(|l| l.chars().count() >= 12)
        .collect();
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let thanks = lines.iter().any(|l| {
        let f = norm(l);
        !l.trim_start().starts_with('>') && (courtesy(&f) || closing(&f))
    });
    let top = above_quote(&lines, &ours);
    if says_something(&top, ids) || !lines.iter().any(|l| l.trim_start().starts_with('>')) {
        return Words {
            lines: without_signature(top, ids),
            below_quote: false,
            thanks,
        };
    }
    let below = under_quotes(&lines, ids);
    if says_something(&below, ids) {
        return Words {
            lines: without_signature(below, ids),
            below_quote: true,
            thanks,
        };
    }
    Words {
        lines: without_signature(top, ids),
        below_quote: false,
        thanks,
    }
}

/// True for a line that opens the quoted original (a reply header, Outlook's rule or block, an
/// "original message" line); `lines[i]` is the line.
fn opens_original(lines: &[&str], i: usize) -> bool {
    let trimmed = lines[i].trim();
    let f = norm(trimmed);
    // A reply header may be wrapped over two or three lines, never across a blank one (`on
    // verra demain`, a blank line, then `Le … a écrit :` is a member's line, then the header).
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
        return true;
    }
    if trimmed.len() >= 10 && trimmed.chars().all(|c| c == '_') {
        return true;
    }
    if f.starts_with("---")
        && ["message", "mail", "original", "origine"]
            .iter()
            .any(|w| f.contains(w))
    {
        return true;
    }
    if outlook_from(&f) {
        let next: Vec<String> = lines[i + 1..lines.len().min(i + 4)]
            .iter()
            .map(|l| norm(l))
            .collect();
        return next.iter().any(|n| outlook_sent(n));
    }
    false
}

/// The lines above the quoted original (top-posting, the usual case).
fn above_quote(lines: &[&str], ours: &std::collections::HashSet<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line == "-- " || line.trim() == "--" {
            break;
        }
        let trimmed = line.trim();
        // Below a quoted line are words written under the quote (`under_quotes`).
        if trimmed.starts_with('>') || opens_original(lines, i) {
            break;
        }
        let f = norm(trimmed);
        if ours.contains(&f) || (closing(&f) && !out.is_empty()) {
            break;
        }
        if f.is_empty() || greeting(&f) || courtesy(&f) || closing(&f) || intro(trimmed) {
            continue;
        }
        out.push(trimmed.replace(['\u{a0}', '\u{202f}'], " "));
    }
    out
}

/// The lines written below or between `>`-quoted lines (bottom-posting, interleaving): a line
/// right under a quoted task line (`> 1. axe-1.a1 — …`) that names no task is about that task.
fn under_quotes(lines: &[&str], ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen_quote = false;
    let mut last_task: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if *line == "-- " || trimmed == "--" {
            break;
        }
        if let Some(quoted) = trimmed.strip_prefix('>') {
            seen_quote = true;
            let quoted = quoted.trim_start_matches(['>', ' ']);
            if let Some(id) = quoted_task(quoted, ids) {
                last_task = Some(id);
            }
            continue;
        }
        if !seen_quote || opens_original(lines, i) {
            continue;
        }
        let f = norm(trimmed);
        if f.is_empty() || greeting(&f) || courtesy(&f) {
            continue;
        }
        if closing(&f) {
            break;
        }
        let text = trimmed.replace(['\u{a0}', '\u{202f}'], " ");
        let names_one = read_line(&text, ids)
            .iter()
            .any(|r| r.task != TaskRef::Unnamed);
        match (&last_task, names_one) {
            (Some(id), false) => out.push(format!("{id} : {text}")),
            _ => out.push(text),
        }
    }
    out
}

/// The task a quoted line of our message lists: `1. axe-1.a1 — Adopter…` (its id, longest
/// first).
fn quoted_task(quoted: &str, ids: &[String]) -> Option<String> {
    let t = quoted.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = t[digits.len()..].strip_prefix(". ")?;
    let mut by_length: Vec<&String> = ids.iter().collect();
    by_length.sort_by_key(|id| std::cmp::Reverse(id.len()));
    by_length
        .into_iter()
        .find(|id| rest.starts_with(id.as_str()))
        .cloned()
}

/// The lines without a closing signature block: from the first name or title line after which
/// nothing reads as an instruction.
fn without_signature(mut lines: Vec<String>, ids: &[String]) -> Vec<String> {
    let reads = |l: &String| {
        read_line(l, ids)
            .iter()
            .any(|r| r.task != TaskRef::Unnamed || !r.is_unknown())
    };
    let cut = (1..lines.len())
        .find(|&i| name_line(&lines[i]) && !reads(&lines[i]) && !lines[i + 1..].iter().any(reads));
    if let Some(i) = cut {
        lines.truncate(i);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        vec!["axe-1.a1".into(), "axe-1.a2".into(), "axe-2.a3".into()]
    }

    fn own(text: &str, original: &str) -> Vec<String> {
        own_words(text, original, &ids()).lines
    }

    #[test]
    fn quoted_text_and_signatures_are_cut() {
        let original = "Bonjour,\n\nVoici les tâches du plan « P » qui vous concernent (DGME) :\n\n1. axe-1.a1 — Adopter\n";
        let outlook = "1 : fait\r\n\r\n________________________________\r\nDe : Secrétariat CNRM <cnrm@example.ml>\r\nEnvoyé : mercredi 3 décembre 2026 10:00\r\nÀ : dgme@example.ml\r\nObjet : [CNRM] Rappel\r\n\r\n2 : fait\r\n";
        assert_eq!(own(outlook, original), ["1 : fait"]);
        let gmail = "Bonjour,\n2 : avancement 60 %\n\nLe mer. 3 déc. 2026 à 10:00, Secrétariat CNRM <\ncnrm@example.ml> a écrit :\n> 1 : fait\n";
        assert_eq!(own(gmail, original), ["2 : avancement 60 %"]);
        let thunderbird = "fait\n\nOn 12/3/26 10:00 AM, CNRM wrote:\n> Hello\n";
        assert_eq!(own(thunderbird, original), ["fait"]);
        // A member's own line that starts like a header (`on …`) is kept when a blank line
        // separates it from the real header.
        let wrapped = "2 : fait\non verra demain\n\nLe 16 mars 2026 à 08:00, Secrétariat a écrit :\n> 1 : fait\n";
        assert_eq!(own(wrapped, original), ["2 : fait", "on verra demain"]);
        let signed = "1 : fait\n-- \nAmadou Traoré\n2 : fait\n";
        assert_eq!(own(signed, original), ["1 : fait"]);
        let phone = "1 : fait\nAmadou Traoré\nTél. : +223 20 22 00 00\n";
        assert_eq!(own(phone, original), ["1 : fait"]);
        let initials = "on est à 70%\nCdt\nI. Sidibé\n";
        assert_eq!(own(initials, original), ["on est à 70%"]);
        let titled = "1 : fait\nIbrahim Sidibé\nChef de Division Suivi-Évaluation\nDGME\n";
        assert_eq!(own(titled, original), ["1 : fait"]);
        let intro = "Voici le point :\n1 : fait\n";
        assert_eq!(own(intro, original), ["1 : fait"]);
        let thanks = "Bien reçu, merci.\n";
        assert!(own(thanks, original).is_empty());
        let polite = "Bonjour Madame,\n1 : fait\nCordialement,\nAmadou\n3 : fait";
        assert_eq!(own(polite, original), ["1 : fait"]);
        // The examples of the original's "how to answer" block, written by the member.
        let how = format!("{original}Pour mettre à jour, répondez :\n  2 : avancement 60 %\n");
        assert_eq!(
            own("2 : avancement 60 %\n1 : fait", &how),
            ["2 : avancement 60 %", "1 : fait"]
        );
        let unmarked =
            "1 : fait\n\nVoici les tâches du plan « P » qui vous concernent (DGME) :\n2 : fait\n";
        assert_eq!(own(unmarked, original), ["1 : fait"]);
        let origin = "2: done\n-----Original Message-----\nFrom: x\n1: done";
        assert_eq!(own(origin, original), ["2: done"]);
        let quoted = "> 1 : fait\n2 : fait";
        assert_eq!(own(quoted, original), ["2 : fait"]);
    }

    #[test]
    fn outlook_html_replies_end_at_the_rule_before_the_header_block() {
        let html = "<html><body><div class=\"WordSection1\"><p class=\"MsoNormal\">2&nbsp;: fait<o:p></o:p></p></div><div id=\"appendonsend\"></div><hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\"><font><b>De&nbsp;:</b> Secr&eacute;tariat CNRM<br><b>Envoy&eacute;&nbsp;:</b> mercredi<br></font></div><p>1 : annul&eacute;</p></body></html>";
        assert_eq!(own(&html_to_text(html), ""), ["2 : fait"]);
    }

    #[test]
    fn html_blockquotes_are_quoted_text() {
        let html = "<html><head><style>p{}</style></head><body><div dir=\"ltr\">1&nbsp;: fait<br>2 : avancement 40&nbsp;%</div><div class=\"gmail_quote\"><blockquote>1 : annulé<blockquote>x</blockquote>3 : fait</blockquote></div><p>R&eacute;union tenue</p></body></html>";
        let text = html_to_text(html);
        assert_eq!(
            own(&text, ""),
            ["1 : fait", "2 : avancement 40 %", "Réunion tenue"]
        );
    }

    #[test]
    fn words_below_the_quote_and_between_quoted_tasks_are_read() {
        let ids = ids();
        let bottom = "Le 3 déc. 2026 à 10:00, CNRM a écrit :\n> Bonjour,\n> 1. axe-1.a1 — Adopter\n> 2. axe-1.a2 — Former\n\n2 : fait\n\nCordialement\n";
        let w = own_words(bottom, "", &ids);
        assert_eq!(w.lines, ["2 : fait"]);
        assert!(w.below_quote);
        let interleaved = "> 1. axe-1.a1 — Adopter\nFait\n> 2. axe-1.a2 — Former\nen cours, avancement 40 %\n> 3. axe-2.a3 — Suivre\n";
        let w = own_words(interleaved, "", &ids);
        assert_eq!(
            w.lines,
            ["axe-1.a1 : Fait", "axe-1.a2 : en cours, avancement 40 %"]
        );
        assert!(w.below_quote);
        // Words above the quote win; nothing below is read then.
        let top = "1 : fait\n> 2. axe-1.a2 — Former\nen cours\n";
        let w = own_words(top, "", &ids);
        assert_eq!(w.lines, ["1 : fait"]);
        assert!(!w.below_quote);
    }
}
