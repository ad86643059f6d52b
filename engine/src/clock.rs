//! The one source of "now": the system clock, or a fixed time given with `--now` / `CNRM_NOW`.
//!
//! Every notion of "today", "overdue" and "due" goes through here, in the plan's time zone, so a
//! server whose own zone is not the plan's still judges deadlines the way Bamako does.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    /// A fixed instant (`--now 2025-10-01T09:00:00+00:00`).
    At(DateTime<Utc>),
    /// A fixed local date (`--now 2025-10-01`): "today" is that date in every time zone.
    Day(NaiveDate),
}

impl Clock {
    /// Reads `YYYY-MM-DD` or RFC 3339; `None` when the text is neither.
    pub fn parse(text: &str) -> Option<Clock> {
        let t = text.trim();
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Some(Clock::Day(d));
        }
        DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|dt| Clock::At(dt.with_timezone(&Utc)))
    }

    /// The current instant (for a fixed day: its midnight UTC).
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::At(t) => *t,
            Clock::Day(d) => d
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or_else(Utc::now),
        }
    }

    /// Today's date in the time zone `tz`.
    pub fn today(&self, tz: Tz) -> NaiveDate {
        match self {
            Clock::Day(d) => *d,
            _ => self.now().with_timezone(&tz).date_naive(),
        }
    }

    /// The current instant as stored: RFC 3339, UTC, seconds (sorts as text).
    pub fn stamp(&self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_follows_the_plan_time_zone() {
        // 23:30 UTC on 30 September is already 1 October in Dhaka (UTC+6), still 30 in Bamako.
        let clock = Clock::parse("2025-09-30T23:30:00Z").expect("rfc3339");
        assert_eq!(
            clock.today(chrono_tz::Africa::Bamako).to_string(),
            "2025-09-30"
        );
        assert_eq!(
            clock.today(chrono_tz::Asia::Dhaka).to_string(),
            "2025-10-01"
        );
        let day = Clock::parse("2025-10-01").expect("date");
        assert_eq!(
            day.today(chrono_tz::America::Los_Angeles).to_string(),
            "2025-10-01"
        );
        assert_eq!(day.stamp(), "2025-10-01T00:00:00Z");
        assert!(Clock::parse("demain").is_none());
    }
}
