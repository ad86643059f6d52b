//! iCalendar (RFC 5545) writing, for the e-mails' attachments and the deadline export: one
//! all-day event per deadline, with a UID stable across files (`task@plan.cnrm`), so a calendar
//! that imports a later file updates its events rather than duplicating them.

use chrono::NaiveDate;

/// A calendar of one plan being written, every event stamped `stamp` (`20250927T080000Z`).
pub struct Calendar<'a> {
    text: String,
    plan: &'a str,
    stamp: &'a str,
}

impl<'a> Calendar<'a> {
    /// Opens a calendar: its version and producer, then the `headers` lines.
    pub fn new(plan: &'a str, stamp: &'a str, headers: &[&str]) -> Calendar<'a> {
        let mut c = Calendar {
            text: String::new(),
            plan,
            stamp,
        };
        for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CNRM//cnrm//FR"] {
            c.line(line);
        }
        for line in headers {
            c.line(line);
        }
        c
    }

    /// One content line, folded at 75 octets, never inside a UTF-8 character; a control
    /// character in it (a value that was not escaped) is dropped, so it can never start a line.
    pub fn line(&mut self, line: &str) {
        let mut count = 0;
        for c in line.chars().filter(|c| !c.is_control()) {
            if count + c.len_utf8() > 75 {
                self.text.push_str("\r\n ");
                count = 1;
            }
            self.text.push(c);
            count += c.len_utf8();
        }
        self.text.push_str("\r\n");
    }

    /// One all-day event for `task` on `day`; `summary` and `description` are escaped here, the
    /// `extra` lines written as they are.
    pub fn event(
        &mut self,
        task: &str,
        day: NaiveDate,
        summary: &str,
        description: &str,
        extra: &[&str],
    ) {
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{task}@{}.cnrm", self.plan));
        self.line(&format!("DTSTAMP:{}", self.stamp));
        self.line(&format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
        self.line(&format!(
            "DTEND;VALUE=DATE:{}",
            (day + chrono::Duration::days(1)).format("%Y%m%d")
        ));
        self.line(&format!("SUMMARY:{}", escape(summary)));
        self.line(&format!("DESCRIPTION:{}", escape(description)));
        for line in extra {
            self.line(line);
        }
        self.line("END:VEVENT");
    }

    /// Closes the calendar and returns its text.
    pub fn finish(mut self) -> String {
        self.line("END:VCALENDAR");
        self.text
    }
}

/// A TEXT value, escaped by [`crate::text::ical_text`].
pub fn escape(s: &str) -> String {
    crate::text::ical_text(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn events_are_escaped_and_lines_folded() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 9, 30).expect("day");
        let mut c = super::Calendar::new("pao", "20250927T080000Z", &["METHOD:PUBLISH"]);
        c.event("a1", day, "a1 — R; D, x", &"é".repeat(60), &[]);
        c.event(
            "a2",
            day,
            "a2 \r\nX-INJECTED:1\rEND:VEVENT\0\u{1b}",
            "",
            &[],
        );
        let text = c.finish();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CNRM//cnrm//FR\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:a1@pao.cnrm\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20250930\r\nDTEND;VALUE=DATE:20251001\r\n"));
        assert!(text.contains("SUMMARY:a1 — R\\; D\\, x\r\n"));
        assert!(text.contains("SUMMARY:a2 \\nX-INJECTED:1\\nEND:VEVENT\r\n"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75), "{text}");
        assert!(!text
            .replace("\r\n", "")
            .contains(['\r', '\n', '\0', '\u{1b}']));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
    }
}
