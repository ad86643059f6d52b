//! The plan's deadlines and milestones as an iCalendar file, for a calendar to import.

use crate::ical::{self, Calendar};
use crate::records::Snapshot;
use crate::workflow::Status;
use crate::Lang;

/// One all-day event per dated task (of `owner`, if given), cancelled ones left out; a prefix
/// marks done (✓), late (⚠) and milestone (◆) tasks; the description gives the owners' names,
/// the status in `lang` and the progress.
pub fn ics(s: &Snapshot, owner: Option<&str>, stamp: &str, lang: Lang) -> String {
    let name = format!("X-WR-CALNAME:{}", ical::escape(&s.plan_title));
    let mut c = Calendar::new(&s.plan_id, stamp, &["CALSCALE:GREGORIAN", &name]);
    for t in &s.tasks {
        let Some(day) = t.row.deadline_day() else {
            continue;
        };
        if owner.is_some_and(|o| !t.row.owners.iter().any(|x| x == o))
            || t.row.status == Status::Cancelled
        {
            continue;
        }
        let done = t.row.status == Status::Done;
        let prefix = match (done, t.row.overdue, t.row.milestone) {
            (true, _, _) => "✓ ",
            (_, true, _) => "⚠ ",
            (_, _, true) => "◆ ",
            _ => "",
        };
        let extra: &[&str] = if done {
            &["STATUS:CONFIRMED", "X-CNRM-DONE:TRUE"]
        } else {
            &["STATUS:TENTATIVE"]
        };
        c.event(
            &t.row.id,
            day,
            &format!("{prefix}{} — {}", t.row.id, t.row.title),
            &format!(
                "{} · {} · {}\u{a0}%",
                owners(s, &t.row.owners),
                t.row.status.label(lang),
                t.row.progress
            ),
            extra,
        );
    }
    c.finish()
}

/// Owners by their short name (or name), as the secretariat knows them.
fn owners(s: &Snapshot, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            s.owners
                .iter()
                .find(|o| &o.id == id)
                .map_or(id.as_str(), |o| o.display())
        })
        .collect::<Vec<_>>()
        .join(", ")
}
