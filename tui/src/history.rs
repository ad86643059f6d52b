//! History events in words, French and English: the one place that tells an `Event`, for
//! `task show`, the UI's history screen and the task detail pane.
//!
//! Only wording lives here: one exhaustive match over `cnrm_engine::records::Event`, so a new
//! kind of event does not compile until it is told. The event's note is told by what it is to
//! that event: a note, a spending's note, a cancellation's reason, a revision's message.

use crate::strings::{day, entry_no, quoted, slip_days, value};
use cnrm_engine::records::{ChangeByRevision, Event, FromTo};
use cnrm_engine::text::money;
use cnrm_engine::workflow::Status;
use cnrm_engine::{tr, Lang};

/// One history entry in words, with its values: `statut : à faire → en cours · avancement :
/// 40 % → 60 % · note : « … »`, `dépense : 450 000 FCFA (n° 3)`, `révision 3 : 2 ajoutées,
/// 1 modifiée`, `archivée (révision 4)`, `échéance : T1 2026 → T2 2026 (+91 jours) (révision 3
/// « … »)`, ...; an unknown kind is named as such.
pub fn what(lang: Lang, event: &Event, note: Option<&str>) -> String {
    let entry = |n: Option<i64>| {
        n.map(|n| format!(" ({})", entry_no(lang, n)))
            .unwrap_or_default()
    };
    let mut parts = Vec::new();
    // How the event's note is introduced.
    let mut note_is = NoteIs::Note;
    match event {
        Event::Update {
            status,
            progress,
            effective_date,
        } => {
            if let Some(FromTo { from, to }) = status {
                let (from, to) = (status_word(lang, *from), status_word(lang, *to));
                parts.push(tr!(
                    lang,
                    "statut\u{a0}: {from} → {to}",
                    "status: {from} → {to}"
                ));
            }
            if let Some(FromTo { from, to }) = progress {
                parts.push(tr!(
                    lang,
                    "avancement\u{a0}: {from}\u{a0}% → {to}\u{a0}%",
                    "progress: {from}% → {to}%"
                ));
            }
            if let Some(d) = effective_date {
                let day = d.format("%d/%m/%Y");
                parts.push(tr!(lang, "le {day}", "on {day}"));
            }
        }
        Event::Note { postpone_request } => {
            if let Some(r) = postpone_request {
                parts.push(tr!(
                    lang,
                    "report demandé\u{a0}: {r}",
                    "postponement asked: {r}"
                ));
            }
        }
        Event::Spending(s) => {
            let (amount, n) = (money(s.amount, &s.currency), entry(s.entry));
            parts.push(tr!(
                lang,
                "dépense\u{a0}: {amount}{n}",
                "spending: {amount}{n}"
            ));
        }
        Event::SpendingCancelled(s) => {
            let n = entry_no(lang, s.entry.unwrap_or(0));
            let amount = money(s.amount, &s.currency);
            parts.push(tr!(
                lang,
                "dépense {n} annulée ({amount})",
                "spending {n} cancelled ({amount})"
            ));
            note_is = NoteIs::Reason;
        }
        Event::Indicator(i) => {
            let (id, v, d, n) = (
                &i.indicator,
                value(lang, i.value),
                day(lang, &i.date),
                entry(i.entry),
            );
            parts.push(tr!(
                lang,
                "indicateur {id}\u{a0}: {v} au {d}{n}",
                "indicator {id}: {v} on {d}{n}"
            ));
        }
        Event::IndicatorCancelled(i) => {
            let (id, n) = (&i.indicator, entry_no(lang, i.entry.unwrap_or(0)));
            let v = value(lang, i.value);
            parts.push(tr!(
                lang,
                "indicateur {id}\u{a0}: valeur {n} annulée ({v})",
                "indicator {id}: value {n} cancelled ({v})"
            ));
            note_is = NoteIs::Reason;
        }
        Event::Revision(r) => {
            let counts: Vec<String> = [
                (r.added, "ajoutée", "added"),
                (r.changed, "modifiée", "changed"),
                (r.archived, "archivée", "archived"),
                (r.restored, "restaurée", "restored"),
                (r.renamed, "renommée", "renamed"),
            ]
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, fr, en)| revision_count(lang, *n, fr, en))
            .collect();
            let n = r.revision;
            parts.push(if counts.is_empty() {
                tr!(lang, "révision {n}", "revision {n}")
            } else {
                let counts = counts.join(", ");
                tr!(
                    lang,
                    "révision {n}\u{a0}: {counts}",
                    "revision {n}: {counts}"
                )
            });
            note_is = NoteIs::Message;
        }
        Event::Archived(item) | Event::Restored(item) => {
            // A task is feminine in French, an indicator masculine.
            let (fr, en) = match (event, &item.indicator) {
                (Event::Archived(_), None) => ("archivée", "archived"),
                (Event::Archived(_), Some(_)) => ("archivé", "archived"),
                (_, None) => ("restaurée", "restored"),
                (_, Some(_)) => ("restauré", "restored"),
            };
            let name = item
                .indicator
                .as_ref()
                .map(|id| tr!(lang, "indicateur {id} ", "indicator {id} "))
                .unwrap_or_default();
            parts.push(match item.revision {
                Some(r) => tr!(
                    lang,
                    "{name}{fr} (révision {r})",
                    "{name}{en} (revision {r})"
                ),
                None => tr!(lang, "{name}{fr}", "{name}{en}"),
            });
        }
        Event::Renamed {
            from,
            to,
            indicator: None,
            ..
        } => {
            parts.push(tr!(
                lang,
                "renommée\u{a0}: {from} → {to}",
                "renamed: {from} → {to}"
            ));
        }
        Event::Renamed { from, to, .. } => {
            parts.push(tr!(
                lang,
                "indicateur renommé\u{a0}: {from} → {to}",
                "indicator renamed: {from} → {to}"
            ));
        }
        Event::DeadlineMoved(c) => {
            let (from, to) = (day(lang, &c.from), day(lang, &c.to));
            let mut text = tr!(
                lang,
                "échéance déplacée\u{a0}: {from} → {to}",
                "deadline moved: {from} → {to}"
            );
            if let Some(d) = c.days.filter(|d| *d != 0) {
                text.push(' ');
                text.push_str(&slip_days(lang, d));
            }
            parts.push(text);
            parts.push(by_revision(lang, c));
        }
        Event::Retitled(c) => {
            let (from, to) = (quoted(lang, &c.from), quoted(lang, &c.to));
            parts.push(tr!(
                lang,
                "titre\u{a0}: {from} → {to}",
                "title: {from} → {to}"
            ));
            parts.push(by_revision(lang, c));
        }
        Event::Unknown { kind, .. } => parts.push(tr!(
            lang,
            "événement «\u{a0}{kind}\u{a0}»",
            "event \"{kind}\""
        )),
    }
    if let Some(n) = note.map(str::trim).filter(|n| !n.is_empty()) {
        let n = quoted(lang, n);
        parts.push(match note_is {
            NoteIs::Note => tr!(lang, "note\u{a0}: {n}", "note: {n}"),
            NoteIs::Reason => tr!(lang, "motif\u{a0}: {n}", "reason: {n}"),
            NoteIs::Message => tr!(lang, "message\u{a0}: {n}", "message: {n}"),
        });
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}

/// Whether an entry's note is a note people read as such (the detail pane's « Notes »): a note
/// or an update's note, not a spending's note, a cancellation's reason or a revision's message.
pub fn is_note(event: &Event) -> bool {
    matches!(event, Event::Note { .. } | Event::Update { .. })
}

/// What an event's note is to it.
enum NoteIs {
    Note,
    Reason,
    Message,
}

/// `révision 3 « report suite au remaniement »` / `revision 3 "…"`.
fn by_revision(lang: Lang, c: &ChangeByRevision) -> String {
    let r = c.revision;
    match c
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(m) => {
            let m = quoted(lang, m);
            tr!(lang, "révision {r} {m}", "revision {r} {m}")
        }
        None => tr!(lang, "révision {r}", "revision {r}"),
    }
}

fn status_word(lang: Lang, s: Status) -> String {
    s.label(lang).to_string()
}

/// `2 ajoutées`, `1 modifiée` / `2 added`: the words of a revision's counts, by count.
fn revision_count(lang: Lang, n: usize, fr: &str, en: &str) -> String {
    match lang {
        Lang::Fr => format!("{n} {fr}{}", if n > 1 { "s" } else { "" }),
        Lang::En => format!("{n} {en}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cnrm_engine::records::SpendingEvent;

    #[test]
    fn a_cancellation_tells_its_reason_and_a_note_its_text() {
        let cancelled = Event::SpendingCancelled(SpendingEvent {
            amount: 450_000.0,
            currency: "FCFA".into(),
            amount_plan: 450_000.0,
            date: "2026-03-15".into(),
            entry: Some(2),
        });
        assert_eq!(
            what(Lang::Fr, &cancelled, Some("doublon")),
            "dépense n°\u{a0}2 annulée (450 000 FCFA) · motif\u{a0}: «\u{a0}doublon\u{a0}»"
        );
        assert!(!is_note(&cancelled));
        let note = Event::Note {
            postpone_request: None,
        };
        assert_eq!(
            what(Lang::En, &note, Some("waiting for the funds")),
            "note: \"waiting for the funds\""
        );
        assert!(is_note(&note));
    }

    #[test]
    fn a_deadline_moved_by_a_revision_names_it_and_its_message() {
        let moved = Event::DeadlineMoved(ChangeByRevision {
            revision: 3,
            from: "2026-03-31".into(),
            to: "T2 2026".into(),
            days: Some(91),
            message: Some("report suite au remaniement".into()),
        });
        assert_eq!(
            what(Lang::Fr, &moved, None),
            "échéance déplacée\u{a0}: 31/03/2026 → T2 2026 (+91 jours) · révision 3 «\u{a0}report suite au remaniement\u{a0}»"
        );
    }

    #[test]
    fn an_indicator_is_told_in_the_masculine() {
        let archived =
            Event::from_stored("archived", r#"{"revision": 4, "indicator": "axe-1.i1"}"#);
        assert_eq!(
            what(Lang::Fr, &archived, None),
            "indicateur axe-1.i1 archivé (révision 4)"
        );
        let renamed = Event::from_stored(
            "renamed",
            r#"{"from": "axe-1.i1", "to": "axe-1.i2", "revision": 5, "indicator": "axe-1.i2"}"#,
        );
        assert_eq!(
            what(Lang::Fr, &renamed, None),
            "indicateur renommé\u{a0}: axe-1.i1 → axe-1.i2"
        );
        let task = Event::from_stored("archived", r#"{"revision": 4}"#);
        assert_eq!(what(Lang::Fr, &task, None), "archivée (révision 4)");
    }

    #[test]
    fn an_unknown_kind_is_named() {
        let e = Event::from_stored("payment_planned", r#"{"amount": 3}"#);
        assert_eq!(
            what(Lang::Fr, &e, None),
            "événement «\u{a0}payment_planned\u{a0}»"
        );
    }
}
