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

/// `12 500 000 FCFA`: an amount in a currency, as the secretariat writes it.
pub fn money(amount: f64, currency: &str) -> String {
    format!("{} {}", group_thousands(amount), unit(currency))
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

/// Text for HTML content or a quoted attribute.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV record, its line end included.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// How many characters `s` holds.
pub fn char_count(s: &str) -> usize {
    s.chars().count()
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
            html_escape(r#"<a href="x">R&D</a>"#),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt;"
        );
        assert_eq!(
            csv_line(&["a", "b,c", "say \"hi\"", "two\nlines", "cr\r", ""]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\n"
        );
    }

    #[test]
    fn folding_and_grouping() {
        assert_eq!(fold("Échéance à Kayes, Œuvre"), "echeance a kayes, oeuvre");
        assert_eq!(group_thousands(12_500_000.0), "12 500 000");
        assert_eq!(group_thousands(999.6), "1 000");
        assert_eq!(group_thousands(-52_000.0), "-52 000");
    }
}
