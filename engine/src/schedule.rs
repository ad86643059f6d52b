//! Cron expressions of the plan format, read the way plan authors write them.
//!
//! Authors write Unix cron (`min hour day month weekday`, 0 or 7 = Sunday); the `cron` crate wants
//! a seconds field and numbers weekdays from 1 = Sunday. Passing the five fields through would
//! silently shift every schedule by a day, so five-field expressions are translated here, with the
//! weekday field expanded to names. Six- and seven-field expressions are the crate's own form.
//! Pure: no clock is read here; callers pass the instant to start from.

use chrono::{DateTime, TimeZone};
use std::str::FromStr;

const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

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

fn day_number(token: &str) -> Result<u32, String> {
    let upper = token.to_ascii_uppercase();
    if let Some(i) = DAY_NAMES.iter().position(|d| *d == upper) {
        return Ok(i as u32);
    }
    match token.parse::<u32>() {
        Ok(n) if n <= 7 => Ok(n % 7),
        _ => Err(format!("`{token}` is not a weekday (0-7 or SUN-SAT)")),
    }
}

/// Expands a Unix weekday field (`1-5`, `MON,WED`, `*/2`, `5-7`) into names the crate reads.
fn translate_weekdays(field: &str) -> Result<String, String> {
    if field == "*" || field == "?" {
        return Ok(field.to_string());
    }
    let mut days = [false; 7];
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("`{s}` is not a step"))?,
            ),
            None => (item, 1),
        };
        let (lo, hi) = if range == "*" {
            (0, 6)
        } else if let Some((a, b)) = range.split_once('-') {
            let lo = day_number(a)?;
            // `5-7` runs Friday to Sunday: 7 is Sunday at the end of the week.
            let hi = if b == "7" { 7 } else { day_number(b)? };
            if hi < lo {
                return Err(format!("`{range}` runs backwards"));
            }
            (lo, hi)
        } else {
            let n = day_number(range)?;
            (n, if item.contains('/') { 6 } else { n })
        };
        let mut d = lo;
        while d <= hi {
            days[(d % 7) as usize] = true;
            d += step;
        }
    }
    let names: Vec<&str> = (0..7).filter(|i| days[*i]).map(|i| DAY_NAMES[i]).collect();
    Ok(names.join(","))
}

impl CronSpec {
    /// Reads a five-, six- or seven-field expression; the error says what is wrong in English
    /// (the validator adds the localised sentence around it).
    pub fn parse(text: &str) -> Result<CronSpec, String> {
        let fields: Vec<&str> = text.split_whitespace().collect();
        let crate_form = match fields.len() {
            5 => format!(
                "0 {} {} {} {} {}",
                fields[0],
                fields[1],
                fields[2],
                fields[3],
                translate_weekdays(fields[4])?
            ),
            6 | 7 => fields.join(" "),
            n => {
                return Err(format!(
                    "{n} fields instead of 5 (min hour day month weekday)"
                ))
            }
        };
        let schedule = cron::Schedule::from_str(&crate_form).map_err(|e| e.to_string())?;
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
}
