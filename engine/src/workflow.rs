//! Execution rules: statuses, what is open, overdue or due. Pure: no I/O, "today" is an argument.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Todo,
    InProgress,
    Blocked,
    Suspended,
    Done,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Todo,
        Status::InProgress,
        Status::Blocked,
        Status::Suspended,
        Status::Done,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in_progress",
            Status::Blocked => "blocked",
            Status::Suspended => "suspended",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    /// The French label shown to the secretariat.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (Status::Todo, Fr) => "à faire",
            (Status::InProgress, Fr) => "en cours",
            (Status::Blocked, Fr) => "bloquée",
            (Status::Suspended, Fr) => "suspendue",
            (Status::Done, Fr) => "terminée",
            (Status::Cancelled, Fr) => "annulée",
            (Status::Todo, En) => "to do",
            (Status::InProgress, En) => "in progress",
            (Status::Blocked, En) => "blocked",
            (Status::Suspended, En) => "suspended",
            (Status::Done, En) => "done",
            (Status::Cancelled, En) => "cancelled",
        }
    }

    /// Closed means done or cancelled; everything else is open.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Done | Status::Cancelled)
    }

    /// Counts towards reminders, overdue and due lists: open and not suspended.
    pub fn is_active(self) -> bool {
        !self.is_closed() && self != Status::Suspended
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Status, String> {
        // Stored values are exact: no allocation for them (lists read 100,000 of them).
        if let Some(st) = Status::ALL.into_iter().find(|st| st.as_str() == s) {
            return Ok(st);
        }
        let norm = s.trim().to_lowercase().replace(['-', ' '], "_");
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == norm)
            .ok_or_else(|| format!("`{s}` ({})", Status::ALL.map(Status::as_str).join(", ")))
    }
}

/// Overdue: active, dated (not `continu`), and the deadline day has ended (`today` is later).
pub fn is_overdue(status: Status, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    status.is_active() && deadline.is_some_and(|d| d < today)
}

/// Days late (0 when not overdue).
pub fn days_late(status: Status, deadline: Option<NaiveDate>, today: NaiveDate) -> i64 {
    match deadline {
        Some(d) if is_overdue(status, deadline, today) => (today - d).num_days(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn overdue_rules() {
        let due = Some(d("2025-09-30"));
        assert!(
            !is_overdue(Status::Todo, due, d("2025-09-30")),
            "the deadline day itself is not late"
        );
        assert!(is_overdue(Status::Todo, due, d("2025-10-01")));
        assert!(is_overdue(Status::Blocked, due, d("2025-10-01")));
        assert!(!is_overdue(Status::Suspended, due, d("2025-10-01")));
        assert!(!is_overdue(Status::Done, due, d("2025-10-01")));
        assert!(
            !is_overdue(Status::Todo, None, d("2030-01-01")),
            "continu is never late"
        );
        assert_eq!(days_late(Status::InProgress, due, d("2025-10-10")), 10);
        assert_eq!(days_late(Status::Cancelled, due, d("2025-10-10")), 0);
    }

    #[test]
    fn statuses_read_leniently() {
        assert_eq!("in-progress".parse::<Status>(), Ok(Status::InProgress));
        assert_eq!("DONE".parse::<Status>(), Ok(Status::Done));
        assert!("fini".parse::<Status>().is_err());
    }
}
