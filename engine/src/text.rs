//! Text helpers shared by the store, the reports, the e-mails, the CLI and the terminal UI: one
//! of each, so that every output folds, groups, escapes and writes dates the same way.

/// Lower-cases and removes French (and common Latin) accents, so `echeance` finds `Échéance`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// [`fold`] of `s`, pushed onto `out` (several pieces folded into one text without building
/// their concatenation first).
pub fn fold_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            // Most of a plan's text: one table lookup fewer per character than `to_lowercase`
            // (a first apply of 100,000 tasks folds 7.5 MB of search text).
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'Î' | 'Ï' | 'Í' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'õ' | 'Ô' | 'Ö' | 'Ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => out.push('u'),
            'ç' | 'Ç' => out.push('c'),
            'ÿ' | 'Ÿ' => out.push('y'),
            'ñ' | 'Ñ' => out.push('n'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' | '‘' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// `12 500 000`: an amount grouped by thousands the French way (narrow spaces are not used, so
/// that terminals and e-mail clients without them still align).
pub fn group_thousands(amount: f64) -> String {
    let rounded = amount.round() as i128;
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    if rounded < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `12 500 000 FCFA`: an amount in a currency, as the secretariat writes it; cents kept for a
/// currency that has them (`2 000,50 EUR`), whole amounts without (`2 000 EUR`).
pub fn money(amount: f64, currency: &str) -> String {
    format!("{} {}", amount_in(amount, currency), unit(currency))
}

/// Currencies without minor units (ISO 4217 exponent 0): their amounts are always whole.
const WHOLE_CURRENCIES: [&str; 17] = [
    "XOF", "FCFA", "XAF", "XPF", "GNF", "JPY", "KRW", "RWF", "BIF", "DJF", "KMF", "UGX", "VND",
    "VUV", "CLP", "PYG", "ISK",
];

/// `2 000,50` for an amount with cents in a currency that has them, else `2 001` (grouped by
/// thousands, rounded to the unit).
pub fn amount_in(amount: f64, currency: &str) -> String {
    let cents = (amount * 100.0).round();
    let whole = WHOLE_CURRENCIES.contains(&currency.trim().to_uppercase().as_str());
    if whole || !cents.is_finite() || cents.rem_euclid(100.0) == 0.0 || cents.abs() >= 1e17 {
        return group_thousands(amount);
    }
    let sign = if cents < 0.0 { "-" } else { "" };
    let cents = cents.abs() as i128;
    format!(
        "{sign}{},{:02}",
        group_thousands((cents / 100) as f64),
        cents % 100
    )
}

/// `12 500 000 FCFA` with non-breaking spaces (U+00A0) between the groups and before the
/// currency, as typeset documents (the reports) write an amount: it never breaks across lines.
pub fn money_nbsp(amount: f64, currency: &str) -> String {
    format!(
        "{}\u{a0}{}",
        amount_in(amount, currency).replace(' ', "\u{a0}"),
        unit(currency)
    )
}

/// A currency as the secretariat writes it: XOF is FCFA.
pub fn unit(currency: &str) -> &str {
    if currency == "XOF" {
        "FCFA"
    } else {
        currency
    }
}

/// `30/09/2025` for a stored `2025-09-30`, as Malian administrations write dates; any other
/// text as it is.
pub fn french_date(day: &str) -> String {
    match day.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    }
}

/// Text for HTML content or a quoted attribute: `&`, `<`, `>`, `"` and `'` as entities,
/// control characters other than tab and line feed dropped (they are errors in HTML).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() || is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// One CSV field (RFC 4180) as it is: quoted when it holds a comma, a semicolon (the separator
/// of French spreadsheets), a tab, a quote or a line break. For numbers we write; text goes
/// through [`csv_text`].
pub fn csv_field(s: &str) -> String {
    if s.contains([',', ';', '\t', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV text cell (a title, a name, a note, an id): line breaks and tabs as spaces, other
/// control characters dropped, so that every record is one line of printable text; a cell that
/// a spreadsheet would read as a formula (starting, after any spaces, with `=`, `+`, `-` or `@`)
/// is prefixed with `'` (the OWASP rule), then quoted as needed.
pub fn csv_text(s: &str) -> String {
    let mut clean = String::with_capacity(s.len() + 1);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    clean.push(' ');
                }
            }
            '\t' | '\n' => clean.push(' '),
            c if c.is_control() || is_invisible(c) => {}
            c => clean.push(c),
        }
    }
    if s.starts_with(['\t', '\r', '\n']) || clean.trim_start().starts_with(['=', '+', '-', '@']) {
        clean.insert(0, '\'');
    }
    csv_field(&clean)
}

/// One CSV record of text cells ([`csv_text`]), its line end included.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_text(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// An iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, a line
/// break (LF, CR LF or CR) as `\n`, other control characters dropped. Lines are folded by the
/// writer (`ical::Calendar::line`).
pub fn ical_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            c if c.is_control() || is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for a Markdown table cell or heading: `\` and `|` escaped, line breaks as one space,
/// other control characters dropped, so that a cell never ends its row early.
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '\n' | '\t' => out.push(' '),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push(' ');
                }
            }
            c if c.is_control() || is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The placeholder shown on a terminal for a control character.
pub const CONTROL_MARK: char = '\u{FFFD}';

/// A character that changes how the text around it is shown without being seen itself: the
/// bidirectional controls (U+202A-202E embeddings and overrides, U+2066-2069 isolates, U+200E
/// and U+200F marks, U+061C the Arabic letter mark), which can show a title reversed, and the
/// zero-width characters (U+200B-200D, U+2060, U+FEFF), which can make two different ids look
/// alike. Text from outside (plans, e-mails, arguments) never carries them to an output: a
/// terminal shows [`CONTROL_MARK`] in their place, files drop them, JSON escapes them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
    )
}

/// Text for the terminal or the TUI, lines kept: a line feed stays, every other control
/// character (a carriage return too) (C0, DEL, C1, ESC included), bidirectional control and
/// zero-width character is shown as [`CONTROL_MARK`], so no escape sequence reaches the
/// terminal and no text shows reversed. For a single line (a table cell), [`terminal_line`].
pub fn terminal_text(s: &str) -> String {
    if clean_for_terminal(s, true) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' => c,
            c if c.is_control() || is_invisible(c) => CONTROL_MARK,
            c => c,
        })
        .collect()
}

/// Serialised JSON made safe for any reader: the characters serde_json leaves raw that a
/// terminal or a viewer acts on (DEL, the C1 controls U+0080-009F, the line and paragraph
/// separators U+2028 and U+2029, and every [`is_invisible`] character) written as `\u00XX` /
/// `\uXXXX` escapes. The data is unchanged for a JSON reader; these characters can only stand
/// inside strings, so the escapes are valid wherever they fall.
pub fn json_safe(json: &str) -> String {
    // Only characters from DEL up are escaped: ASCII bytes are skipped without decoding, and
    // the text between two escapes is copied whole (a list of 10,000 tasks is megabytes).
    let bytes = json.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] < 0x7f {
            i += 1;
            continue;
        }
        let Some(c) = json[i..].chars().next() else {
            break;
        };
        if json_escaped(c) {
            let o = out.get_or_insert_with(|| String::with_capacity(json.len() + 16));
            o.push_str(&json[copied..i]);
            o.push_str(&format!("\\u{:04x}", u32::from(c)));
            copied = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    match out {
        None => json.to_string(),
        Some(mut o) => {
            o.push_str(&json[copied..]);
            o
        }
    }
}

fn json_escaped(c: char) -> bool {
    // C0 controls are escaped by serde_json inside strings; raw, they are the layout's white
    // space (line feeds of pretty JSON), left as they are.
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}') || is_invisible(c)
}

/// True when `s` holds nothing the terminal writers change (line feeds allowed when
/// `line_feeds`): checked a byte at a time over ASCII, the common case, and a character at a
/// time over the rest.
fn clean_for_terminal(s: &str, line_feeds: bool) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if (b < 0x20 && !(line_feeds && b == b'\n')) || b == 0x7f {
                return false;
            }
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            return false;
        };
        if c.is_control() || is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}') {
            return false;
        }
        i += c.len_utf8();
    }
    true
}

/// Text for one line of terminal output (a table cell, a title): a line break (LF, CR LF or
/// CR) as `⏎`, a tab as a space, any other control character (C0, DEL, C1, ESC included) as
/// `�` (U+FFFD), so no escape sequence reaches the terminal.
pub fn terminal_line(s: &str) -> String {
    if clean_for_terminal(s, false) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('⏎'),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('⏎');
                }
            }
            '\t' => out.push(' '),
            '\u{2028}' | '\u{2029}' => out.push('⏎'),
            c if c.is_control() || is_invisible(c) => out.push(CONTROL_MARK),
            c => out.push(c),
        }
    }
    out
}

/// French typography: a non-breaking space before `:` `;` `?` `!` and inside « », outside the
/// `quoted` parts (what the author wrote is quoted as written).
pub fn french_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => quoted = !quoted,
            ' ' if !quoted && matches!(chars.peek(), Some(':' | ';' | '?' | '!' | '»')) => {
                out.push('\u{a0}');
                continue;
            }
            '«' if !quoted && chars.peek() == Some(&' ') => {
                chars.next();
                out.push_str("«\u{a0}");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// How many characters `s` holds.
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// Standard base64, padded: what an SMTP `AUTH` or IMAP `AUTHENTICATE` exchange carries.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(T[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every form in which a server, a driver or a log may repeat `password` (of `user`): as it
/// is, without its surrounding spaces, each of its lines and the lines joined by a space (a
/// reply put on one line), percent-encoded, and base64-encoded as `AUTH LOGIN`, `AUTH PLAIN`
/// (`\0user\0password`, `user\0password`) and IMAP `AUTHENTICATE PLAIN` send it.
pub fn secret_forms(user: &str, password: &str) -> Vec<String> {
    let mut out = vec![password.to_string(), password.trim().to_string()];
    let lines: Vec<&str> = password
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > 1 {
        out.push(lines.join(" "));
        // A line alone only from 3 characters on: shorter, it would blank ordinary words.
        out.extend(
            lines
                .iter()
                .filter(|l| l.chars().count() >= 3)
                .map(|l| l.to_string()),
        );
    }
    let one_line: String = password
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    out.push(one_line.trim().to_string());
    for p in [password, password.trim()] {
        out.push(crate::url::percent_encode(p));
        out.push(base64(p.as_bytes()));
        out.push(base64(format!("\0{user}\0{p}").as_bytes()));
        out.push(base64(format!("{user}\0{p}").as_bytes()));
        // Base64 without its padding, as some servers and logs repeat it.
        out.push(
            base64(format!("\0{user}\0{p}").as_bytes())
                .trim_end_matches('=')
                .to_string(),
        );
        out.push(base64(p.as_bytes()).trim_end_matches('=').to_string());
    }
    out
}

/// `text` with URL passwords redacted (`redact`) and every one of `secrets` replaced by `***`,
/// the longest first, so that a secret inside another is not left half-replaced. The text is
/// scrubbed as it is and with its control characters and runs of spaces made one space (a
/// multi-line reply put on one line), so a secret split across lines or padded with spaces is
/// caught too.
pub fn scrub(text: &str, mut secrets: Vec<String>) -> String {
    secrets.retain(|s| !s.trim().is_empty());
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    let mut out = redact(text);
    for secret in &secrets {
        out = out.replace(secret.as_str(), "***");
    }
    let squeezed = squeeze(&out);
    if secrets
        .iter()
        .any(|s| squeezed.contains(squeeze(s).as_str()))
    {
        out = squeezed;
        for secret in &secrets {
            out = out.replace(squeeze(secret).as_str(), "***");
        }
    }
    out
}

/// Control characters and runs of white space as one space, ends trimmed.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_control() || c.is_whitespace()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Removes a password from anything that may quote a URL (`postgres://user:secret@host`).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail.find(['/', ' ', '?', '"', '\'']).unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => match authority[..at].find(':') {
                Some(colon) => {
                    out.push_str(&authority[..colon]);
                    out.push_str(":***");
                    out.push_str(&authority[at..]);
                }
                None => out.push_str(authority),
            },
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_cents_in_currencies_that_have_them() {
        assert_eq!(money(2000.5, "EUR"), "2 000,50 EUR");
        assert_eq!(money(2000.0, "EUR"), "2 000 EUR");
        assert_eq!(money(-1234.05, "USD"), "-1 234,05 USD");
        assert_eq!(money(0.5, "EUR"), "0,50 EUR");
        assert_eq!(money(2000.5, "XOF"), "2 001 FCFA");
        assert_eq!(money(12_500_000.0, "XOF"), "12 500 000 FCFA");
        assert_eq!(money_nbsp(2000.5, "EUR"), "2\u{a0}000,50\u{a0}EUR");
    }

    #[test]
    fn folding_ascii_quickly_folds_as_every_character_lowercased() {
        let text =
            "Former les AGENTS d'accueil de Kayes (Activité 17) — ÉTAT, Œuvre; ĞİŞ ß Σ ǅ 123 ~`!";
        let slow: String = text
            .chars()
            .flat_map(|c| {
                let mut one = String::new();
                one.push(c);
                if c.is_ascii() {
                    vec![c.to_ascii_lowercase()]
                } else {
                    fold(&one).chars().collect()
                }
            })
            .collect();
        assert_eq!(fold(text), slow);
        assert_eq!(fold("ABC xyz 09"), "abc xyz 09");
        let mut out = String::from("x ");
        fold_into(&mut out, "Échéance");
        fold_into(&mut out, " À KAYES");
        assert_eq!(out, "x echeance a kayes");
    }

    #[test]
    fn dates_html_and_csv() {
        assert_eq!(french_date("2025-09-30"), "30/09/2025");
        assert_eq!(french_date("continu"), "continu");
        assert_eq!(
            html_escape("<a href=\"x\" title='y'>R&D\u{1b}[31m\0\u{9b}</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;R&amp;D[31m&lt;/a&gt;"
        );
        assert_eq!(
            csv_line(&[
                "a",
                "b,c",
                "say \"hi\"",
                "two\nlines",
                "cr\rlf\r\n",
                "",
                "x;y"
            ]),
            "a,\"b,c\",\"say \"\"hi\"\"\",two lines,cr lf ,,\"x;y\"\n"
        );
    }

    #[test]
    fn csv_text_cells_never_read_as_formulas() {
        for (cell, written) in [
            (
                r#"=HYPERLINK("http://x")"#,
                r#""'=HYPERLINK(""http://x"")""#,
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "' x"),
            ("\r=1", "' =1"),
            ("  =1+1", "'  =1+1"),
            ("a\r\nb\nc\rd\te", "a b c d e"),
            ("\u{1b}[31m=1\0", "[31m=1"),
            ("a-b", "a-b"),
        ] {
            assert_eq!(csv_text(cell), written, "{cell:?}");
        }
        assert_eq!(csv_field("-5"), "-5", "numbers we write stay numbers");
    }

    #[test]
    fn ical_markdown_and_terminal_text() {
        assert_eq!(
            ical_text("a\\b;c,d\ne\r\nf\rg\0h\u{1b}[1m"),
            r"a\\b\;c\,d\ne\nf\ngh[1m"
        );
        assert_eq!(
            markdown_text("a|b\\|c\r\nd\re\nf\u{1b}[31m\0"),
            r"a\|b\\\|c d e f[31m"
        );
        assert_eq!(
            terminal_line("a\u{1b}[31mb\r\nc\rd\ne\tf\u{7f}\u{9b}\0"),
            "a\u{fffd}[31mb⏎c⏎d⏎e f\u{fffd}\u{fffd}\u{fffd}"
        );
    }

    #[test]
    fn bidirectional_and_zero_width_characters_are_neutralised_for_each_output() {
        let hostile = "a\u{202E}b\u{2067}c\u{2069}\u{200B}d\u{FEFF}\u{200F}\u{61C}e\u{7f}\u{9b}f";
        assert_eq!(
            terminal_text("x\u{1b}[31m\r\ny\tz"),
            "x\u{fffd}[31m\u{fffd}\ny\u{fffd}z"
        );
        assert_eq!(
            terminal_text(hostile),
            "a\u{fffd}b\u{fffd}c\u{fffd}\u{fffd}d\u{fffd}\u{fffd}\u{fffd}e\u{fffd}\u{fffd}f"
        );
        assert_eq!(
            terminal_line(hostile),
            terminal_text(hostile),
            "one rule for lines and texts"
        );
        assert_eq!(csv_text(hostile), "abcdef");
        assert_eq!(html_escape(hostile), "abcdef");
        assert_eq!(ical_text(hostile), "abcdef");
        assert_eq!(markdown_text(hostile), "abcdef");
        let json = serde_json::to_string(&serde_json::json!({ "t": hostile, "n": "\u{1}\n" }))
            .expect("json");
        let safe = json_safe(&json);
        assert!(
            safe.contains(r"a\u202eb\u2067c\u2069\u200bd\ufeff\u200f\u061ce\u007f\u009bf"),
            "{safe}"
        );
        assert!(
            !safe.chars().any(|c| c.is_control() || is_invisible(c)),
            "{safe:?}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).expect("valid JSON");
        assert_eq!(back["t"], hostile);
        assert_eq!(json_safe("{\n  \"a\": 1\n}"), "{\n  \"a\": 1\n}");
    }

    #[test]
    fn a_secret_is_scrubbed_in_every_form_a_server_can_echo() {
        let forms = secret_forms("cnrm", "  Pad5ecret  ");
        for echo in [
            "535 bad password Pad5ecret",
            "535 bad password   Pad5ecret  .",
            "AUTH PLAIN AGNucm0AICBQYWQ1ZWNyZXQgIA==",
            "AUTH PLAIN AGNucm0AUGFkNWVjcmV0",
            "user %20%20Pad5ecret%20%20",
        ] {
            let scrubbed = scrub(echo, forms.clone());
            assert!(
                !scrubbed.contains("Pad5ecret") && !scrubbed.contains("UGFkNWVjcmV0"),
                "{echo} -> {scrubbed}"
            );
        }
        // A multi-line secret, repeated on one line, on two lines, or one line at a time.
        let forms = secret_forms("u", "first-line\nsecond-line");
        for echo in [
            "535 first-line second-line",
            "535 first-line\r\n535 second-line",
            "535 no: first-line\n",
            "535  first-line \t second-line ",
        ] {
            let scrubbed = scrub(echo, forms.clone());
            assert!(
                !scrubbed.contains("first-line") && !scrubbed.contains("second-line"),
                "{echo:?} -> {scrubbed:?}"
            );
        }
        assert_eq!(scrub("no secret here", forms), "no secret here");
    }

    #[test]
    fn folding_and_grouping() {
        assert_eq!(fold("Échéance à Kayes, Œuvre"), "echeance a kayes, oeuvre");
        assert_eq!(group_thousands(12_500_000.0), "12 500 000");
        assert_eq!(group_thousands(999.6), "1 000");
        assert_eq!(group_thousands(-52_000.0), "-52 000");
        assert_eq!(
            money_nbsp(1_500_000.0, "XOF"),
            "1\u{a0}500\u{a0}000\u{a0}FCFA"
        );
    }
}
