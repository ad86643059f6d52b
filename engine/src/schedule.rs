//! Cron expressions of the plan format, read the way plan authors write them.
//!
//! Authors write Unix cron (`min hour day month weekday`, 0 or 7 = Sunday); the `cron` crate wants
//! a seconds field and numbers weekdays from 1 = Sunday. Passing the five fields through would
//! silently shift every schedule by a day, so five-field expressions are translated here, with the
//! weekday field expanded to names. Six- and seven-field expressions are the crate's own form.
//! Pure: no clock is read here; callers pass the instant to start from.

use crate::lang::Lang;
use crate::tr;
use chrono::{DateTime, TimeZone};
use std::str::FromStr;

/// Weekday names the crate reads, by Unix number (0 = Sunday).
const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
/// The French abbreviations plan authors write, by Unix number.
const JOURS: [&str; 7] = ["DIM", "LUN", "MAR", "MER", "JEU", "VEN", "SAM"];
const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// A validated cron expression: the text as written and the schedule it means.
#[derive(Debug, Clone)]
pub struct CronSpec {
    pub text: String,
    schedule: cron::Schedule,
}

impl PartialEq for CronSpec {
    fn eq(&self, other: &CronSpec) -> bool {
        self.text == other.text
    }
}

/// A field of a cron expression, as the author counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CronField {
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    /// Unix numbering (five fields): 0 or 7 = Sunday.
    Weekday,
    /// The crate's numbering (six or seven fields): 1 = Sunday.
    CrateWeekday,
    Year,
}

impl CronField {
    fn bounds(self) -> (u32, u32) {
        match self {
            CronField::Second | CronField::Minute => (0, 59),
            CronField::Hour => (0, 23),
            CronField::DayOfMonth => (1, 31),
            CronField::Month => (1, 12),
            CronField::Weekday => (0, 7),
            CronField::CrateWeekday => (1, 7),
            CronField::Year => (1970, 2100),
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CronField::Second, Lang::Fr) => "seconde",
            (CronField::Second, Lang::En) => "second",
            (CronField::Minute, _) => "minute",
            (CronField::Hour, Lang::Fr) => "heure",
            (CronField::Hour, Lang::En) => "hour",
            (CronField::DayOfMonth, Lang::Fr) => "jour du mois",
            (CronField::DayOfMonth, Lang::En) => "day of month",
            (CronField::Month, Lang::Fr) => "mois",
            (CronField::Month, Lang::En) => "month",
            (CronField::Weekday | CronField::CrateWeekday, Lang::Fr) => "jour de la semaine",
            (CronField::Weekday | CronField::CrateWeekday, Lang::En) => "day of week",
            (CronField::Year, Lang::Fr) => "année",
            (CronField::Year, Lang::En) => "year",
        }
    }

    /// What the field takes, for the end of a message: `0 à 59`, `0 à 7 ou LUN à DIM`.
    fn allowed(self, lang: Lang) -> String {
        let (lo, hi) = self.bounds();
        match (self, lang) {
            (CronField::Month, Lang::Fr) => format!("{lo} à {hi} ou JAN à DEC"),
            (CronField::Month, Lang::En) => format!("{lo} to {hi} or JAN to DEC"),
            (CronField::Weekday | CronField::CrateWeekday, Lang::Fr) => {
                format!("{lo} à {hi}, LUN à DIM ou MON à SUN")
            }
            (CronField::Weekday | CronField::CrateWeekday, Lang::En) => {
                format!("{lo} to {hi}, MON to SUN or LUN to DIM")
            }
            (_, Lang::Fr) => format!("{lo} à {hi}"),
            (_, Lang::En) => format!("{lo} to {hi}"),
        }
    }

    /// The number a name stands for in this field, if it is one (any letter case).
    fn named(self, token: &str) -> Option<u32> {
        let upper = token.to_ascii_uppercase();
        let find = |names: &[&str]| names.iter().position(|n| *n == upper).map(|i| i as u32);
        match self {
            CronField::Month => find(&MONTH_NAMES).map(|i| i + 1),
            CronField::Weekday => find(&DAY_NAMES).or_else(|| find(&JOURS)),
            CronField::CrateWeekday => find(&DAY_NAMES).or_else(|| find(&JOURS)).map(|i| i + 1),
            _ => None,
        }
    }
}

/// What is wrong in a cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CronProblem {
    /// Not 5, 6 or 7 fields.
    FieldCount(usize),
    /// A number outside the field's range, as written.
    OutOfRange(CronField, String),
    /// Neither a number nor a name of the field, as written.
    Unreadable(CronField, String),
    /// A range whose end comes before its start (`5-2`).
    Backwards(CronField, String),
    /// A step that is not a whole number of at least 1 (`*/0`).
    BadStep(CronField, String),
    /// Every field is readable, but no date matches them all (`0 8 31 2 *`).
    NeverFires,
}

/// A refused cron expression: the text as written and what is wrong in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    pub text: String,
    pub problem: CronProblem,
}

impl CronError {
    /// What is wrong, without the expression: « heure 61 hors limites (0 à 23) ».
    pub fn reason(&self, lang: Lang) -> String {
        match &self.problem {
            CronProblem::FieldCount(0) => {
                tr!(lang, "l'expression est vide", "the expression is empty")
            }
            CronProblem::FieldCount(n) => {
                let fields = match (lang, *n) {
                    (Lang::Fr, 1) => "1 champ".to_string(),
                    (Lang::Fr, n) => format!("{n} champs"),
                    (Lang::En, 1) => "1 field".to_string(),
                    (Lang::En, n) => format!("{n} fields"),
                };
                tr!(
                    lang,
                    "{fields} au lieu de 5 (minute heure jour mois jour-de-la-semaine)",
                    "{fields} instead of 5 (minute hour day month weekday)"
                )
            }
            CronProblem::OutOfRange(field, value) => tr!(
                lang,
                "{} {value} hors limites ({})",
                "{} {value} out of range ({})",
                field.name(lang),
                field.allowed(lang)
            ),
            CronProblem::Unreadable(field, value) => tr!(
                lang,
                "{} `{value}` illisible (valeurs possibles\u{a0}: {})",
                "unreadable {} `{value}` (allowed: {})",
                field.name(lang),
                field.allowed(lang)
            ),
            CronProblem::Backwards(field, range) => tr!(
                lang,
                "{}\u{a0}: l'intervalle `{range}` finit avant de commencer",
                "{}: the range `{range}` ends before it starts",
                field.name(lang)
            ),
            CronProblem::BadStep(field, step) => tr!(
                lang,
                "{}\u{a0}: le pas `/{step}` doit être un nombre entier d'au moins 1",
                "{}: the step `/{step}` must be a whole number of at least 1",
                field.name(lang)
            ),
            CronProblem::NeverFires => tr!(
                lang,
                "aucune date ne correspond à tous les champs",
                "no date matches every field"
            ),
        }
    }

    /// The whole sentence: « heure 61 hors limites (0 à 23) dans `0 61 9 * *` ».
    pub fn sentence(&self, lang: Lang) -> String {
        tr!(
            lang,
            "{} dans `{}`",
            "{} in `{}`",
            self.reason(lang),
            self.text
        )
    }
}

impl std::fmt::Display for CronError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sentence(Lang::En))
    }
}

impl std::error::Error for CronError {}

impl From<CronError> for String {
    fn from(e: CronError) -> String {
        e.to_string()
    }
}

/// One number or name of `field`, as written.
fn value(field: CronField, token: &str) -> Result<u32, CronProblem> {
    if let Some(n) = field.named(token) {
        return Ok(n);
    }
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CronProblem::Unreadable(field, token.to_string()));
    }
    let (lo, hi) = field.bounds();
    token
        .parse::<u32>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| CronProblem::OutOfRange(field, token.to_string()))
}

/// The values a field selects, checked against the field's range: `*`, `?` (day fields), `n`,
/// `a-b`, any of them with `/step`, and lists of those.
fn field_values(field: CronField, text: &str) -> Result<Vec<u32>, CronProblem> {
    let (lo, hi) = field.bounds();
    let mut selected = vec![false; (hi - lo + 1) as usize];
    let any_ok = matches!(
        field,
        CronField::DayOfMonth | CronField::Weekday | CronField::CrateWeekday
    );
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => {
                // Only digits, not all zeros; a step beyond the range selects the start alone.
                if s.is_empty()
                    || !s.bytes().all(|b| b.is_ascii_digit())
                    || s.bytes().all(|b| b == b'0')
                {
                    return Err(CronProblem::BadStep(field, s.to_string()));
                }
                (r, Some(s.parse::<u32>().unwrap_or(u32::MAX)))
            }
            None => (item, None),
        };
        let (start, end) = if range == "*" || (range == "?" && any_ok) {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            let start = value(field, a)?;
            let mut end = value(field, b)?;
            // Unix weekdays: `VEN-DIM` runs Friday to Sunday, Sunday closing the week as 7.
            if field == CronField::Weekday && end == 0 && start > 0 {
                end = 7;
            }
            if end < start {
                return Err(CronProblem::Backwards(field, range.to_string()));
            }
            (start, end)
        } else {
            let n = value(field, range)?;
            (n, if step.is_some() { hi } else { n })
        };
        let step = step.unwrap_or(1) as usize;
        for v in (start..=end).step_by(step) {
            selected[(v - lo) as usize] = true;
        }
    }
    Ok((lo..=hi).filter(|v| selected[(v - lo) as usize]).collect())
}

/// A field in the crate's form: `*` when every value is selected, else the list of numbers.
fn crate_field(field: CronField, text: &str) -> Result<String, CronProblem> {
    let (lo, hi) = field.bounds();
    let values = field_values(field, text)?;
    if field == CronField::Weekday {
        // Unix 0..7 to names: 7 is Sunday again.
        let mut days = [false; 7];
        for v in values {
            days[(v % 7) as usize] = true;
        }
        let names: Vec<&str> = (0..7).filter(|i| days[*i]).map(|i| DAY_NAMES[i]).collect();
        return Ok(names.join(","));
    }
    if values.len() == (hi - lo + 1) as usize {
        return Ok("*".to_string());
    }
    let numbers: Vec<String> = values.iter().map(u32::to_string).collect();
    Ok(numbers.join(","))
}

fn crate_form(fields: &[&str]) -> Result<String, CronProblem> {
    use CronField::*;
    let kinds: &[CronField] = match fields.len() {
        5 => &[Minute, Hour, DayOfMonth, Month, Weekday],
        6 => &[Second, Minute, Hour, DayOfMonth, Month, CrateWeekday],
        7 => &[Second, Minute, Hour, DayOfMonth, Month, CrateWeekday, Year],
        n => return Err(CronProblem::FieldCount(n)),
    };
    let mut out: Vec<String> = Vec::with_capacity(7);
    if fields.len() == 5 {
        out.push("0".to_string());
    }
    for (kind, text) in kinds.iter().zip(fields) {
        out.push(crate_field(*kind, text)?);
    }
    Ok(out.join(" "))
}

impl CronSpec {
    /// Reads a five-, six- or seven-field expression. Every field is checked here, against its
    /// range and names, so that the error speaks of the field as the author wrote it; the crate
    /// only ever sees numbers and English weekday names it accepts.
    pub fn parse(text: &str) -> Result<CronSpec, CronError> {
        let error = |problem| CronError {
            text: text.trim().to_string(),
            problem,
        };
        let fields: Vec<&str> = text.split_whitespace().collect();
        let crate_form = crate_form(&fields).map_err(error)?;
        let schedule =
            cron::Schedule::from_str(&crate_form).map_err(|_| error(CronProblem::NeverFires))?;
        // Pure and bounded: the crate stops at its last year (2100).
        let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        if schedule.after(&epoch).next().is_none() {
            return Err(error(CronProblem::NeverFires));
        }
        Ok(CronSpec {
            text: text.trim().to_string(),
            schedule,
        })
    }

    /// The next `n` firing times strictly after `after`, in `after`'s time zone.
    pub fn next_after<Z: TimeZone>(&self, after: &DateTime<Z>, n: usize) -> Vec<DateTime<Z>> {
        self.schedule.after(after).take(n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, Weekday};

    fn fires(expr: &str, n: usize) -> Vec<chrono::DateTime<chrono::Utc>> {
        let start = NaiveDate::from_ymd_opt(2025, 9, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
            .expect("start");
        CronSpec::parse(expr).expect(expr).next_after(&start, n)
    }

    #[test]
    fn five_fields_use_unix_weekdays() {
        // 2025-09-01 is a Monday; `1-5` must be Monday to Friday, not Sunday to Thursday.
        let days: Vec<Weekday> = fires("0 8 * * 1-5", 5)
            .iter()
            .map(|t| t.weekday())
            .collect();
        assert_eq!(
            days,
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri
            ]
        );
        assert_eq!(fires("0 8 * * 0", 1)[0].weekday(), Weekday::Sun);
        assert_eq!(fires("0 8 * * 7", 1)[0].weekday(), Weekday::Sun);
        assert_eq!(
            fires("30 7 * * MON", 1)[0].to_rfc3339(),
            "2025-09-01T07:30:00+00:00"
        );
        let weekend: Vec<Weekday> = fires("0 9 * * 5-7", 3)
            .iter()
            .map(|t| t.weekday())
            .collect();
        assert_eq!(weekend, [Weekday::Fri, Weekday::Sat, Weekday::Sun]);
        assert_eq!(fires("0 8 * * MON-FRI", 6)[5].weekday(), Weekday::Mon);
    }

    #[test]
    fn six_and_seven_fields_pass_through() {
        assert_eq!(
            fires("30 0 8 * * Mon", 1)[0].to_rfc3339(),
            "2025-09-01T08:00:30+00:00"
        );
        assert!(CronSpec::parse("0 0 8 * * * 2030").is_ok());
    }

    #[test]
    fn bad_expressions_are_refused() {
        for bad in [
            "",
            "0 8 * *",
            "0 25 * * *",
            "0 8 * * 9",
            "0 8 * * FOO",
            "every day",
            "0 8 * * 5-2",
        ] {
            assert!(CronSpec::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn french_weekday_names_in_any_case() {
        let days: Vec<Weekday> = fires("0 8 * * LUN-VEN", 6)
            .iter()
            .map(|t| t.weekday())
            .collect();
        assert_eq!(
            days,
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Mon
            ]
        );
        assert_eq!(fires("0 8 * * dim", 1)[0].weekday(), Weekday::Sun);
        let listed: Vec<Weekday> = fires("0 8 * * Mar,jeu,SAM", 3)
            .iter()
            .map(|t| t.weekday())
            .collect();
        assert_eq!(listed, [Weekday::Tue, Weekday::Thu, Weekday::Sat]);
        let weekend: Vec<Weekday> = fires("0 9 * * VEN-DIM", 3)
            .iter()
            .map(|t| t.weekday())
            .collect();
        assert_eq!(weekend, [Weekday::Fri, Weekday::Sat, Weekday::Sun]);
        // Six fields: the crate's numbering, French names still read.
        assert_eq!(fires("0 0 8 * * LUN", 1)[0].weekday(), Weekday::Mon);
        assert_eq!(
            fires("0 */15 8 * * *", 2)[1].to_rfc3339(),
            "2025-09-01T08:15:00+00:00"
        );
    }

    fn reason(expr: &str, lang: Lang) -> String {
        match CronSpec::parse(expr) {
            Ok(_) => format!("{expr} accepted"),
            Err(e) => e.sentence(lang),
        }
    }

    #[test]
    fn errors_name_the_field_as_written_and_its_range() {
        assert_eq!(
            reason("0 61 9 * *", Lang::Fr),
            "heure 61 hors limites (0 à 23) dans `0 61 9 * *`"
        );
        assert_eq!(
            reason("61 9 * * *", Lang::Fr),
            "minute 61 hors limites (0 à 59) dans `61 9 * * *`"
        );
        assert_eq!(
            reason("61 9 * * *", Lang::En),
            "minute 61 out of range (0 to 59) in `61 9 * * *`"
        );
        assert_eq!(
            reason("0 8 * * 9", Lang::Fr),
            "jour de la semaine 9 hors limites (0 à 7, LUN à DIM ou MON à SUN) dans `0 8 * * 9`"
        );
        assert_eq!(
            reason("0 8 * 13 *", Lang::En),
            "month 13 out of range (1 to 12 or JAN to DEC) in `0 8 * 13 *`"
        );
        assert_eq!(
            reason("0 8 * * LUNDI", Lang::Fr),
            "jour de la semaine `LUNDI` illisible (valeurs possibles\u{a0}: 0 à 7, LUN à DIM ou MON à SUN) dans `0 8 * * LUNDI`"
        );
        assert_eq!(
            reason("0 8 * * 5-2", Lang::En),
            "day of week: the range `5-2` ends before it starts in `0 8 * * 5-2`"
        );
        assert_eq!(
            reason("*/0 8 * * *", Lang::Fr),
            "minute\u{a0}: le pas `/0` doit être un nombre entier d'au moins 1 dans `*/0 8 * * *`"
        );
        assert_eq!(
            reason("0 8 * *", Lang::Fr),
            "4 champs au lieu de 5 (minute heure jour mois jour-de-la-semaine) dans `0 8 * *`"
        );
        assert_eq!(
            reason("toujours", Lang::En),
            "1 field instead of 5 (minute hour day month weekday) in `toujours`"
        );
        assert_eq!(reason("", Lang::Fr), "l'expression est vide dans ``");
        assert_eq!(
            reason("0 8 31 2 *", Lang::Fr),
            "aucune date ne correspond à tous les champs dans `0 8 31 2 *`"
        );
        assert_eq!(
            reason("0 0 8 * * 0", Lang::En),
            "day of week 0 out of range (1 to 7, MON to SUN or LUN to DIM) in `0 0 8 * * 0`"
        );
        assert_eq!(
            reason("0 99999999999999999999 * * *", Lang::En),
            "hour 99999999999999999999 out of range (0 to 23) in `0 99999999999999999999 * * *`"
        );
        assert_eq!(
            reason("0 8 * * é", Lang::Fr),
            "jour de la semaine `é` illisible (valeurs possibles\u{a0}: 0 à 7, LUN à DIM ou MON à SUN) dans `0 8 * * é`"
        );
        assert_eq!(
            reason("0 0 8 * * * 2200", Lang::En),
            "year 2200 out of range (1970 to 2100) in `0 0 8 * * * 2200`"
        );
    }
}
