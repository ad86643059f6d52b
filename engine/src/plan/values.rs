//! The value forms of the plan format: ids, dates, durations, amounts, e-mail addresses.
//!
//! Pure parsing, no diagnostics: each function says whether a text is of its form, and the
//! validator turns a refusal into a positioned, localised diagnostic.

use chrono::{Datelike, NaiveDate};

/// Largest id length allowed by the format.
pub const MAX_ID_LEN: usize = 64;

/// `[a-z0-9][a-z0-9._-]*`, at most 64 characters.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    id.len() <= MAX_ID_LEN
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// How a date was written: it decides the display and whether it names a precise day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    Day,
    Month,
    Quarter,
    Semester,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// In none of the forms.
    Form,
    /// In a form, but naming a day that does not exist (2025-02-30, T5 2025).
    Impossible,
    /// A real day, but of a year outside [`MIN_YEAR`, `MAX_YEAR`].
    YearOutOfRange,
}

/// The first year a plan date may fall in.
pub const MIN_YEAR: i32 = 1900;
/// The last year a plan date may fall in.
pub const MAX_YEAR: i32 = 2200;

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Spaces as word processors and spreadsheets write them (non-breaking, narrow, figure, thin,
/// tab): read as an ordinary space in dates and amounts.
pub fn is_space_like(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' | '\u{2008}' | '\u{2006}'
    )
}

/// A date as the plan keeps it: trimmed, its spaces made ordinary, and the day-first form
/// `31/03/2026` (also `1/3/2026`) written `2026-03-31`. Any other text is only trimmed.
pub fn date_label(text: &str) -> String {
    let spaced: String = text
        .trim_matches(|c: char| c.is_whitespace() || is_space_like(c))
        .chars()
        .map(|c| if is_space_like(c) { ' ' } else { c })
        .collect();
    let parts: Vec<&str> = spaced.split('/').map(str::trim).collect();
    if let [d, m, y] = parts.as_slice() {
        let short = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if short(d) && short(m) && digits(y, 4).is_some() {
            return format!("{y}-{m:0>2}-{d:0>2}");
        }
    }
    spaced
}

/// The first character of `text` that no date or amount form uses and that an author may not
/// see (a zero-width space, a dash that is not `-`, a letter of another alphabet...), for the
/// diagnostic to name it.
pub fn odd_char(text: &str) -> Option<char> {
    text.chars().find(|c| {
        !c.is_ascii()
            && !is_space_like(*c)
            && (!c.is_alphabetic() || ('\u{370}'..='\u{52f}').contains(c))
    })
}

/// Parses `YYYY-MM-DD`, `DD/MM/YYYY`, `YYYY-MM`, `T1 2025`/`Q1 2025` and `S1 2025`
/// (case-insensitive letters, any kind of space), in years 1900 to 2200.
pub fn parse_date(text: &str) -> Result<(NaiveDate, DateForm), DateError> {
    let (date, form) = parse_date_form(&date_label(text))?;
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok((date, form))
    } else {
        Err(DateError::YearOutOfRange)
    }
}

fn parse_date_form(text: &str) -> Result<(NaiveDate, DateForm), DateError> {
    let s = text.trim();
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => {
            let (y, m, d) = (digits(y, 4), digits(m, 2), digits(d, 2));
            let (Some(y), Some(m), Some(d)) = (y, m, d) else {
                return Err(DateError::Form);
            };
            return NaiveDate::from_ymd_opt(y as i32, m, d)
                .map(|date| (date, DateForm::Day))
                .ok_or(DateError::Impossible);
        }
        [y, m] if digits(y, 4).is_some() && digits(m, 2).is_some() => {
            let (y, m) = (digits(y, 4).unwrap_or(0), digits(m, 2).unwrap_or(0));
            return if (1..=12).contains(&m) {
                last_day_of_month(y as i32, m)
                    .map(|date| (date, DateForm::Month))
                    .ok_or(DateError::Impossible)
            } else {
                Err(DateError::Impossible)
            };
        }
        _ => {}
    }
    // `T3 2025`, `Q3 2025`, `S1 2025` (one or more spaces, or a hyphen).
    let mut chars = s.chars();
    let letter = chars.next().map(|c| c.to_ascii_uppercase());
    let rest: String = chars.collect();
    let (num, year) = match rest.split_once([' ', '-']) {
        Some((n, y)) => (n.trim(), y.trim()),
        None => return Err(DateError::Form),
    };
    let (Some(n), Some(year)) = (digits(num, 1), digits(year, 4)) else {
        return Err(DateError::Form);
    };
    let year = year as i32;
    match letter {
        Some('T' | 'Q') if (1..=4).contains(&n) => last_day_of_month(year, n * 3)
            .map(|d| (d, DateForm::Quarter))
            .ok_or(DateError::Impossible),
        Some('S') if (1..=2).contains(&n) => last_day_of_month(year, n * 6)
            .map(|d| (d, DateForm::Semester))
            .ok_or(DateError::Impossible),
        Some('T' | 'Q' | 'S') => Err(DateError::Impossible),
        _ => Err(DateError::Form),
    }
}

/// `continu` (an ongoing activity, never overdue), in any letter case.
pub fn is_continuous(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("continu")
}

/// The longest duration a plan may write, in days (ten years).
pub const MAX_DURATION_DAYS: u32 = 3650;

/// Why a text is not a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationError {
    /// Not a whole number followed by `d`, `j` or `w`.
    Form,
    /// Well formed, but longer than [`MAX_DURATION_DAYS`].
    TooLong,
}

/// `Nd` or `Nj` (days, *jours*) or `Nw` (weeks), N a whole number: the number of days, at most
/// [`MAX_DURATION_DAYS`].
pub fn parse_duration(text: &str) -> Result<u32, DurationError> {
    let s = text.trim();
    let mut chars = s.chars();
    let per_unit: u64 = match chars.next_back() {
        Some('d' | 'j') => 1,
        Some('w') => 7,
        _ => return Err(DurationError::Form),
    };
    let num = chars.as_str();
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DurationError::Form);
    }
    // Only digits: a number too large for u64 is simply too long.
    let days = num
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(per_unit))
        .filter(|d| *d <= u64::from(MAX_DURATION_DAYS))
        .ok_or(DurationError::TooLong)?;
    u32::try_from(days).map_err(|_| DurationError::TooLong)
}

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq)]
pub enum AmountError {
    Negative,
    NotNumeric,
    /// More than [`MAX_AMOUNT`].
    TooLarge,
}

/// The largest amount or quantity a plan may write (10^15, a million billion).
pub const MAX_AMOUNT: f64 = 1e15;

/// The words an amount may end with, and what they multiply it by (`1,5 million`).
const AMOUNT_WORDS: &[(&str, f64)] = &[
    ("mille", 1e3),
    ("thousand", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("milliard", 1e9),
    ("milliards", 1e9),
];

/// A signed number as people type it: digits grouped by spaces (also non-breaking ones) or
/// `_`, one decimal separator, a dot or a comma (`350 000,50`), optionally followed by `mille`,
/// `million(s)` or `milliard(s)` (`1,5 million`). `1e5`, `inf`, `0x10` and `12.500.000` are not
/// numbers. The one number reader of plans, workbooks and the command line.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || is_space_like(c));
    let end = t
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(t.len(), |(i, _)| i);
    let factor = match t[end..].to_lowercase().as_str() {
        "" => 1.0,
        word => AMOUNT_WORDS.iter().find(|(w, _)| *w == word)?.1,
    };
    let cleaned: String = t[..end]
        .chars()
        .filter(|c| !(is_space_like(*c) || *c == '_'))
        .collect();
    let body = cleaned.strip_prefix(['-', '+']).unwrap_or(&cleaned);
    let separators = body.chars().filter(|c| matches!(c, ',' | '.')).count();
    if body.is_empty()
        || separators > 1
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        || !body.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    cleaned
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .map(|v| v * factor)
        .filter(|v| v.is_finite())
}

/// A non-negative amount: a YAML number (`12_500_000`, `1500.5`) or a text as people write
/// one (`"12 500 000"`, `350 000,50`, `1,5 million`; see [`parse_number`]), at most
/// [`MAX_AMOUNT`].
pub fn parse_amount(text: &str) -> Result<f64, AmountError> {
    match parse_number(text) {
        Some(v) if v < 0.0 => Err(AmountError::Negative),
        Some(v) if v > MAX_AMOUNT => Err(AmountError::TooLarge),
        // `-0` is nothing, not a negative amount.
        Some(v) => Ok(v.abs()),
        None => {
            // Only digits, too many for a float to hold exactly: too large, not unreadable.
            let digits: String = text.chars().filter(|c| !is_space_like(*c)).collect();
            if !digits.is_empty() && digits.trim().bytes().all(|b| b.is_ascii_digit()) {
                Err(AmountError::TooLarge)
            } else {
                Err(AmountError::NotNumeric)
            }
        }
    }
}

/// `6.000`, `12.500.000`, `1,000`: digits grouped by dots the French way (which YAML reads as a
/// decimal), or by one comma the English way (which cnrm reads as a decimal comma).
pub fn is_ambiguous_amount(text: &str) -> bool {
    let t = text.trim();
    // `1,000`: a thousand the English way, or one the French way.
    if let Some((int, frac)) = t.split_once(',') {
        return (1..=3).contains(&int.len())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.len() == 3
            && frac.bytes().all(|b| b.is_ascii_digit());
    }
    let mut groups = t.split('.');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// A mailbox: `name@domain.tld`, or `Nom <name@domain.tld>`.
pub fn is_valid_email(text: &str) -> bool {
    text.trim().parse::<lettre::message::Mailbox>().is_ok() && text.contains('@')
}

/// ISO 4217 form: three capital letters.
pub fn is_currency_code(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// Adds `months` to a recurring deadline: the last day of a month stays the last day of the month;
/// any other day keeps its number, clamped to the month's end.
pub fn add_months(date: NaiveDate, months: u32, keep_month_end: bool) -> Option<NaiveDate> {
    let total = date
        .year()
        .checked_mul(12)?
        .checked_add(date.month0() as i32)?
        .checked_add(i32::try_from(months).ok()?)?;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let last = last_day_of_month(year, month)?;
    if keep_month_end {
        return Some(last);
    }
    Some(NaiveDate::from_ymd_opt(year, month, date.day()).unwrap_or(last))
}

/// True when `date` is the last day of its month.
pub fn is_month_end(date: NaiveDate) -> bool {
    date.succ_opt()
        .is_none_or(|next| next.month() != date.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    #[test]
    fn every_date_form() {
        assert_eq!(
            parse_date("2025-09-30"),
            Ok((d(2025, 9, 30), DateForm::Day))
        );
        assert_eq!(parse_date("2024-02"), Ok((d(2024, 2, 29), DateForm::Month)));
        assert_eq!(
            parse_date("T3 2025"),
            Ok((d(2025, 9, 30), DateForm::Quarter))
        );
        assert_eq!(
            parse_date("Q4 2025"),
            Ok((d(2025, 12, 31), DateForm::Quarter))
        );
        assert_eq!(
            parse_date("t1 2026"),
            Ok((d(2026, 3, 31), DateForm::Quarter))
        );
        assert_eq!(
            parse_date("S1 2025"),
            Ok((d(2025, 6, 30), DateForm::Semester))
        );
        assert_eq!(
            parse_date("S2 2025"),
            Ok((d(2025, 12, 31), DateForm::Semester))
        );
        assert_eq!(parse_date("2025-02-30"), Err(DateError::Impossible));
        assert_eq!(parse_date("2025-13"), Err(DateError::Impossible));
        assert_eq!(parse_date("T5 2025"), Err(DateError::Impossible));
        assert_eq!(
            parse_date("30/09/2025"),
            Ok((d(2025, 9, 30), DateForm::Day))
        );
        assert_eq!(parse_date("1/3/2026"), Ok((d(2026, 3, 1), DateForm::Day)));
        assert_eq!(date_label(" 31/03/2026 "), "2026-03-31");
        assert_eq!(parse_date("31/02/2026"), Err(DateError::Impossible));
        assert_eq!(parse_date("30/09/25"), Err(DateError::Form));
        assert_eq!(
            parse_date("T4\u{a0}2025"),
            Ok((d(2025, 12, 31), DateForm::Quarter))
        );
        assert_eq!(
            parse_date("S1\u{202f}2025"),
            Ok((d(2025, 6, 30), DateForm::Semester))
        );
        assert_eq!(date_label("T4\u{a0}2025"), "T4 2025");
        assert_eq!(odd_char("T4\u{200b}2025"), Some('\u{200b}'));
        assert_eq!(odd_char("T4–2025"), Some('–'));
        assert_eq!(odd_char("Т4 2025"), Some('Т'));
        assert_eq!(odd_char("T4\u{a0}2025 é"), None);
        assert_eq!(parse_date("septembre"), Err(DateError::Form));
        assert_eq!(parse_date(""), Err(DateError::Form));
        assert_eq!(parse_date("1900-01-01"), Ok((d(1900, 1, 1), DateForm::Day)));
        assert_eq!(
            parse_date("2200-12"),
            Ok((d(2200, 12, 31), DateForm::Month))
        );
        for far in [
            "0001-01-01",
            "1899-12-31",
            "2201-01-01",
            "0001-01",
            "T4 0001",
            "S1 9999",
            "q1 2201",
        ] {
            assert_eq!(parse_date(far), Err(DateError::YearOutOfRange), "{far}");
        }
        for bad in ["2025-é1-01", "é", "Té 2025", "T1 2é25", "2025-09-3é"] {
            assert_eq!(parse_date(bad), Err(DateError::Form), "{bad}");
        }
        assert!(is_continuous("continu") && is_continuous("Continu") && !is_continuous("continue"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("14d"), Ok(14));
        assert_eq!(parse_duration("7j"), Ok(7));
        assert_eq!(parse_duration("2w"), Ok(14));
        assert_eq!(parse_duration("0d"), Ok(0));
        assert_eq!(parse_duration(" 3650d "), Ok(3650));
        assert_eq!(parse_duration("521w"), Ok(3647));
        assert_eq!(parse_duration("3651d"), Err(DurationError::TooLong));
        assert_eq!(parse_duration("522w"), Err(DurationError::TooLong));
        assert_eq!(parse_duration("100000000d"), Err(DurationError::TooLong));
        assert_eq!(
            parse_duration("99999999999999999999999w"),
            Err(DurationError::TooLong)
        );
        for bad in [
            "d", "-3d", "3 days", "3", "1é", "3é", "é", "", "3D", "+3d", "3.5d", "٣d",
        ] {
            assert_eq!(parse_duration(bad), Err(DurationError::Form), "{bad}");
        }
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("12 500 000"), Ok(12_500_000.0));
        assert_eq!(parse_amount("12_500_000"), Ok(12_500_000.0));
        assert_eq!(parse_amount("12\u{a0}500"), Ok(12_500.0));
        assert_eq!(parse_amount("1500.5"), Ok(1500.5));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        assert_eq!(parse_amount("beaucoup"), Err(AmountError::NotNumeric));
        assert_eq!(parse_amount("1e400"), Err(AmountError::NotNumeric));
        assert_eq!(parse_amount("1000000000000000"), Ok(1e15));
        assert_eq!(parse_amount("1000000000000001"), Err(AmountError::TooLarge));
        assert_eq!(parse_amount(&"9".repeat(400)), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("1.2.3"), Err(AmountError::NotNumeric));
        assert_eq!(parse_amount("12é"), Err(AmountError::NotNumeric));
        assert_eq!(parse_amount("350 000,50"), Ok(350_000.5));
        assert_eq!(parse_amount("1,5 million"), Ok(1_500_000.0));
        assert_eq!(parse_amount("2 Milliards"), Ok(2e9));
        assert_eq!(parse_amount("3 mille"), Ok(3000.0));
        assert_eq!(parse_amount("12\u{2009}500"), Ok(12_500.0));
        assert_eq!(parse_amount("1,5 billion"), Err(AmountError::NotNumeric));
        assert_eq!(parse_amount("1,5,0"), Err(AmountError::NotNumeric));
        assert_eq!(
            parse_amount("2 000 000 milliards"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(parse_amount("-0"), Ok(0.0));
        assert!(is_ambiguous_amount("1,000") && !is_ambiguous_amount("1,5"));
        assert!(is_ambiguous_amount("6.000") && is_ambiguous_amount("12.500.000"));
        assert!(
            !is_ambiguous_amount("6.5")
                && !is_ambiguous_amount("6000")
                && !is_ambiguous_amount("1234.000")
        );
    }

    #[test]
    fn ids_and_emails() {
        assert!(is_valid_id("axe-1.a1") && is_valid_id("0abc_d"));
        assert!(
            !is_valid_id("Axe-1") && !is_valid_id("-a") && !is_valid_id("a b") && !is_valid_id("")
        );
        assert!(!is_valid_id(&"a".repeat(65)));
        assert!(is_valid_email("focal.dgme@example.ml"));
        assert!(is_valid_email("Secrétariat CNRM <cnrm@example.ml>"));
        assert!(!is_valid_email("focal.dgme.example.ml") && !is_valid_email("a@@b"));
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(add_months(d(2025, 3, 31), 3, true), Some(d(2025, 6, 30)));
        assert_eq!(add_months(d(2025, 1, 31), 1, false), Some(d(2025, 2, 28)));
        assert_eq!(add_months(d(2025, 1, 15), 12, false), Some(d(2026, 1, 15)));
        assert!(is_month_end(d(2024, 2, 29)) && !is_month_end(d(2024, 2, 28)));
    }
}
