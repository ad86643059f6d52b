//! Which reminders are due, and how they are grouped into messages. Pure: no I/O, "today" and
//! what was already handled are arguments, so every rule of the spec is unit-tested with dates.
//!
//! For each open, non-suspended, dated task, the candidate occurrences are: `before` N days,
//! `on_deadline`, `on_start` (still `todo`), and overdue every N days from the deadline. A scan at
//! date t sends only the latest candidate dated on or before t that was not handled yet; older
//! unhandled ones are superseded. "Handled" is remembered per (task, deadline) as the date of the
//! latest occurrence sent or superseded, so a moved deadline starts a fresh schedule and nothing is
//! ever sent twice. Messages group everything one address receives in one scan.

use crate::lang::Lang;
use crate::plan::model::EffectivePolicy;
// The records a scan reads from the store (`store/apply.rs` still names the stored policy here).
pub use crate::records::{Recipient, RemindTask, StoredCalendar, StoredPolicy};
use crate::workflow::Status;
use chrono::{Duration, NaiveDate};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of occurrence: part of its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum Occasion {
    Start,
    Before(u32),
    Deadline,
    Overdue,
}

impl Occasion {
    /// As stored in `reminder_log.kind`: `start`, `before-14`, `deadline`, `overdue`.
    pub fn key(self) -> String {
        match self {
            Occasion::Start => "start".into(),
            Occasion::Before(n) => format!("before-{n}"),
            Occasion::Deadline => "deadline".into(),
            Occasion::Overdue => "overdue".into(),
        }
    }

    /// Back from [`Occasion::key`]; `None` for any other text.
    pub fn from_key(key: &str) -> Option<Occasion> {
        match key {
            "start" => Some(Occasion::Start),
            "deadline" => Some(Occasion::Deadline),
            "overdue" => Some(Occasion::Overdue),
            other => other
                .strip_prefix("before-")
                .and_then(|n| n.parse().ok())
                .map(Occasion::Before),
        }
    }
}

/// Why an escalation's recipient gets a task: it is the supervising body (`parent`) of some of
/// the task's owners (named here by id), and/or the plan's secretariat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    #[serde(default)]
    pub supervises: Vec<String>,
    #[serde(default)]
    pub secretariat: bool,
}

impl Role {
    fn merge(&mut self, other: &Role) {
        for s in &other.supervises {
            if !self.supervises.contains(s) {
                self.supervises.push(s.clone());
            }
        }
        self.secretariat |= other.secretariat;
    }
}

/// One occurrence to send for one task.
#[derive(Debug, Clone, PartialEq)]
pub struct DueItem {
    pub task: usize,
    pub occasion: Occasion,
    pub date: NaiveDate,
    pub escalated: bool,
    /// In an escalation: why its recipient gets it.
    pub role: Option<Role>,
}

/// What the scan decided for one task: the item to send, and how many older ones it supersedes.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub item: DueItem,
    pub superseded: usize,
    /// The superseded occurrences to record: each `before`/`deadline`/`start` one, and of a run
    /// of overdue ones only the latest (the handled mark covers the older ones).
    pub superseded_items: Vec<(NaiveDate, Occasion)>,
}

/// `d` moved by `days`, or `None` past the calendar's ends: stored data may hold any number (a
/// plan applied by an older cnrm, a value written by hand), and the scan must not overflow on it.
fn shift(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(days)?)
}

/// The candidate occurrences of a task on or before `today` and after `handled` (exclusive),
/// and how many older overdue ones are left out of the list (only the two latest overdue
/// occurrences are listed: computed, not stepped through, however long ago the deadline was).
fn candidates(
    t: &RemindTask,
    p: &EffectivePolicy,
    today: NaiveDate,
    handled: Option<NaiveDate>,
) -> (Vec<(NaiveDate, Occasion)>, usize) {
    let fresh = |d: NaiveDate| d <= today && handled.is_none_or(|h| d > h);
    let d = t.deadline;
    let mut out = Vec::new();
    for n in &p.before {
        let Some(date) = shift(d, -i64::from(*n)) else {
            continue;
        };
        if *n > 0 && fresh(date) {
            out.push((date, Occasion::Before(*n)));
        }
    }
    if (p.on_deadline || p.before.contains(&0)) && fresh(d) {
        out.push((d, Occasion::Deadline));
    }
    if let (true, Some(start), Status::Todo) = (p.on_start, t.start, t.status) {
        if fresh(start) {
            out.push((start, Occasion::Start));
        }
    }
    let mut left_out = 0;
    if p.overdue_every > 0 && today > d {
        let every = i64::from(p.overdue_every);
        let k_max = (today - d).num_days() / every;
        // Only the ones after `handled` count (older ones were sent or superseded already).
        let k_min = match handled {
            Some(h) if h >= d => (h - d).num_days() / every + 1,
            _ => 1,
        }
        .max(1);
        // Every D + k × every with k ≤ k_max is on or before today: no overflow.
        let from = k_min.max(k_max - 1);
        for k in from..=k_max {
            if let Some(date) = shift(d, k * every) {
                out.push((date, Occasion::Overdue));
            }
        }
        left_out = usize::try_from(from - k_min).unwrap_or(0);
    }
    (out, left_out)
}

/// The reminder to send for a task today, if any. `handled` is the latest occurrence date already
/// sent or superseded for this task and deadline.
pub fn decide(
    t: &RemindTask,
    today: NaiveDate,
    handled: Option<NaiveDate>,
    index: usize,
) -> Option<Decision> {
    if !t.status.is_active() {
        return None;
    }
    let p = t.policy.as_ref()?;
    let (mut c, left_out) = candidates(t, p, today, handled);
    // Latest date wins; on the same date, the deadline (or overdue) over a `before`, over start.
    c.sort_by_key(|(date, occ)| (*date, *occ));
    let (date, occasion) = *c.last()?;
    let escalated = occasion == Occasion::Overdue
        && shift(t.deadline, i64::from(p.escalate_after)).is_some_and(|from| date >= from);
    let older = &c[..c.len() - 1];
    let last_overdue = older.iter().rposition(|(_, o)| *o == Occasion::Overdue);
    let superseded_items = older
        .iter()
        .enumerate()
        .filter(|(i, (_, o))| *o != Occasion::Overdue || Some(*i) == last_overdue)
        .map(|(_, x)| *x)
        .collect();
    Some(Decision {
        item: DueItem {
            task: index,
            occasion,
            date,
            escalated,
            role: None,
        },
        superseded: older.len() + left_out,
        superseded_items,
    })
}

/// What a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    Reminder,
    Escalation,
    Digest,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Reminder => "reminder",
            MessageKind::Escalation => "escalation",
            MessageKind::Digest => "digest",
        }
    }
}

/// One message to queue: who, in which language, and which items.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMessage {
    pub kind: MessageKind,
    /// The owners it is addressed to (several when they share an address).
    pub owners: Vec<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub language: Lang,
    pub items: Vec<DueItem>,
}

/// Groups per recipient owner, merging owners that share an address, so that each address gets
/// at most one message of each kind.
fn group(
    kind: MessageKind,
    per_owner: BTreeMap<String, Vec<DueItem>>,
    people: &HashMap<&str, &Recipient>,
) -> Vec<PlannedMessage> {
    let mut messages: Vec<PlannedMessage> = Vec::new();
    for (owner, items) in per_owner {
        let Some(r) = people.get(owner.as_str()) else {
            continue;
        };
        if r.emails.is_empty() {
            continue;
        }
        let existing = messages
            .iter_mut()
            .find(|m| m.to.iter().any(|a| r.emails.contains(a)));
        match existing {
            Some(m) => {
                m.owners.push(owner.clone());
                for a in &r.emails {
                    if !m.to.contains(a) {
                        m.to.push(a.clone());
                    }
                }
                for it in items {
                    match m.items.iter_mut().find(|x| x.task == it.task) {
                        Some(x) => {
                            if let (Some(a), Some(b)) = (x.role.as_mut(), it.role.as_ref()) {
                                a.merge(b);
                            }
                        }
                        None => m.items.push(it),
                    }
                }
            }
            None => messages.push(PlannedMessage {
                kind,
                owners: vec![owner.clone()],
                to: r.emails.clone(),
                cc: Vec::new(),
                language: r.language,
                items,
            }),
        }
    }
    messages
}

/// A message's tasks in deadline order, then by id: the order its reader expects and the one
/// its numbers (`1.`, `2.`, …) follow.
pub fn sort_items(items: &mut [DueItem], tasks: &[RemindTask]) {
    items.sort_by(|a, b| {
        let (ta, tb) = (&tasks[a.task], &tasks[b.task]);
        (ta.deadline, &ta.id).cmp(&(tb.deadline, &tb.id))
    });
}

/// The messages of one scan: a reminder per owner address, an escalation per parent and for the
/// secretariat, listing the escalated tasks that concern them.
pub fn plan_scan(
    tasks: &[RemindTask],
    decisions: &[Decision],
    people: &[Recipient],
    secretariat: Option<&str>,
) -> Vec<PlannedMessage> {
    let by_id: HashMap<&str, &Recipient> = people.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut reminders: BTreeMap<String, Vec<DueItem>> = BTreeMap::new();
    let mut escalations: BTreeMap<String, Vec<DueItem>> = BTreeMap::new();
    for d in decisions {
        let t = &tasks[d.item.task];
        for owner in &t.owners {
            reminders
                .entry(owner.clone())
                .or_default()
                .push(d.item.clone());
        }
        if d.item.escalated {
            let mut up: Vec<String> = t
                .owners
                .iter()
                .filter_map(|o| by_id.get(o.as_str()).and_then(|r| r.parent.clone()))
                .collect();
            up.extend(secretariat.map(str::to_string));
            up.sort();
            up.dedup();
            for who in up.into_iter().filter(|w| !t.owners.contains(w)) {
                let role = Role {
                    supervises: t
                        .owners
                        .iter()
                        .filter(|o| {
                            by_id
                                .get(o.as_str())
                                .is_some_and(|r| r.parent.as_deref() == Some(who.as_str()))
                        })
                        .cloned()
                        .collect(),
                    secretariat: secretariat == Some(who.as_str()),
                };
                escalations.entry(who).or_default().push(DueItem {
                    role: Some(role),
                    ..d.item.clone()
                });
            }
        }
    }
    let mut out = group(MessageKind::Reminder, reminders, &by_id);
    out.extend(group(MessageKind::Escalation, escalations, &by_id));
    for m in &mut out {
        sort_items(&mut m.items, tasks);
    }
    out
}

/// The weekly digest: each owner with open tasks due within 30 days or overdue gets one message.
pub fn plan_digest(
    tasks: &[RemindTask],
    people: &[Recipient],
    today: NaiveDate,
) -> Vec<PlannedMessage> {
    let by_id: HashMap<&str, &Recipient> = people.iter().map(|r| (r.id.as_str(), r)).collect();
    let horizon = shift(today, 30).unwrap_or(NaiveDate::MAX);
    let mut per_owner: BTreeMap<String, Vec<DueItem>> = BTreeMap::new();
    for (i, t) in tasks.iter().enumerate() {
        if !t.status.is_active() || t.deadline > horizon {
            continue;
        }
        let occasion = if t.deadline < today {
            Occasion::Overdue
        } else {
            Occasion::Deadline
        };
        for owner in &t.owners {
            per_owner.entry(owner.clone()).or_default().push(DueItem {
                task: i,
                occasion,
                date: today,
                escalated: false,
                role: None,
            });
        }
    }
    let mut out = group(MessageKind::Digest, per_owner, &by_id);
    for m in &mut out {
        sort_items(&mut m.items, tasks);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn policy() -> EffectivePolicy {
        EffectivePolicy {
            before: vec![14, 3],
            on_deadline: true,
            on_start: false,
            overdue_every: 7,
            escalate_after: 14,
        }
    }

    fn task(id: &str, deadline: &str, owners: &[&str]) -> RemindTask {
        RemindTask {
            id: id.into(),
            title: format!("Tâche {id}"),
            priority: "axe-1".into(),
            deadline: d(deadline),
            deadline_label: deadline.into(),
            start: None,
            status: Status::Todo,
            owners: owners.iter().map(|s| s.to_string()).collect(),
            partners: vec![],
            policy: Some(policy()),
            note: None,
        }
    }

    /// Runs daily scans from `from` to `to` and returns (date, occasion, escalated) sent.
    fn simulate(
        t: &RemindTask,
        from: &str,
        to: &str,
        cal: &StoredCalendar,
    ) -> Vec<(String, String, bool)> {
        let mut handled: Option<NaiveDate> = None;
        let mut sent = Vec::new();
        let mut day = d(from);
        while day <= d(to) {
            if cal.is_working_day(day) {
                if let Some(dec) = decide(t, day, handled, 0) {
                    handled = Some(dec.item.date);
                    sent.push((day.to_string(), dec.item.occasion.key(), dec.item.escalated));
                }
            }
            day += Duration::days(1);
        }
        sent
    }

    fn weekdays_only() -> StoredCalendar {
        StoredCalendar {
            weekend: vec![5, 6],
            holidays: vec![],
        }
    }

    #[test]
    fn a_month_of_daily_scans_sends_each_occurrence_once() {
        // Deadline Tuesday 30 September 2025; 14 days before is Tuesday 16, 3 before Saturday 27.
        let t = task("a1", "2025-09-30", &["dgme"]);
        let sent = simulate(&t, "2025-09-01", "2025-10-31", &weekdays_only());
        let expect: Vec<(String, String, bool)> = [
            ("2025-09-16", "before-14", false),
            ("2025-09-29", "before-3", false), // Saturday's reminder waits for Monday
            ("2025-09-30", "deadline", false),
            ("2025-10-07", "overdue", false),
            ("2025-10-14", "overdue", true), // 14 days late: escalated
            ("2025-10-21", "overdue", true),
            ("2025-10-28", "overdue", true),
        ]
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect();
        assert_eq!(sent, expect);
    }

    #[test]
    fn holidays_hold_reminders_and_only_the_latest_is_sent() {
        let t = task("a1", "2025-09-30", &["dgme"]);
        let cal = StoredCalendar {
            weekend: vec![5, 6],
            holidays: vec![("2025-09-15".into(), "2025-09-30".into())],
        };
        // Everything from the 15th to the 30th is a holiday: on 1 October, the deadline reminder
        // is the latest; the two `before` ones are superseded, never sent late.
        let dec = decide(&t, d("2025-10-01"), None, 0).expect("due");
        assert_eq!((dec.item.occasion, dec.superseded), (Occasion::Deadline, 2));
        assert_eq!(
            simulate(&t, "2025-09-01", "2025-10-01", &cal),
            [("2025-10-01".to_string(), "deadline".to_string(), false)]
        );
    }

    #[test]
    fn closed_suspended_and_off_tasks_get_nothing() {
        let mut t = task("a1", "2025-09-30", &["dgme"]);
        for status in [Status::Done, Status::Cancelled, Status::Suspended] {
            t.status = status;
            assert_eq!(decide(&t, d("2025-09-30"), None, 0), None, "{status:?}");
        }
        t.status = Status::Blocked;
        assert!(decide(&t, d("2025-09-30"), None, 0).is_some());
        t.policy = None;
        assert_eq!(decide(&t, d("2025-09-30"), None, 0), None);
    }

    #[test]
    fn start_reminder_only_while_todo() {
        let mut t = task("a1", "2025-12-31", &["dgme"]);
        t.start = Some(d("2025-10-01"));
        t.policy = Some(EffectivePolicy {
            on_start: true,
            ..policy()
        });
        assert_eq!(
            decide(&t, d("2025-10-01"), None, 0).map(|x| x.item.occasion),
            Some(Occasion::Start)
        );
        t.status = Status::InProgress;
        assert_eq!(decide(&t, d("2025-10-01"), None, 0), None);
    }

    #[test]
    fn a_moved_deadline_starts_afresh() {
        // The 14-day reminder of the old deadline was sent on 16 September; the deadline moves to
        // 31 December: the handled mark belonged to the old deadline, the new one has none.
        let moved = task("a1", "2025-12-31", &["dgme"]);
        let dec = decide(&moved, d("2025-12-17"), None, 0).expect("due");
        assert_eq!(dec.item.occasion, Occasion::Before(14));
    }

    #[test]
    fn grouping_one_message_per_address_and_escalations_upwards() {
        let people = vec![
            Recipient {
                id: "mmeia".into(),
                name: "MMEIA".into(),
                emails: vec!["cab@x.ml".into()],
                language: Lang::Fr,
                parent: None,
            },
            Recipient {
                id: "dgme".into(),
                name: "DGME".into(),
                emails: vec!["dgme@x.ml".into(), "focal@x.ml".into()],
                language: Lang::Fr,
                parent: Some("mmeia".into()),
            },
            Recipient {
                id: "oim".into(),
                name: "OIM".into(),
                emails: vec!["oim@x.org".into()],
                language: Lang::En,
                parent: None,
            },
            Recipient {
                id: "dgme-bis".into(),
                name: "DGME bis".into(),
                emails: vec!["focal@x.ml".into()],
                language: Lang::Fr,
                parent: None,
            },
            Recipient {
                id: "st".into(),
                name: "ST".into(),
                emails: vec!["st@x.ml".into()],
                language: Lang::Fr,
                parent: None,
            },
            Recipient {
                id: "nomail".into(),
                name: "Sans".into(),
                emails: vec![],
                language: Lang::Fr,
                parent: None,
            },
        ];
        let tasks = vec![
            task("a1", "2025-09-30", &["dgme", "oim"]), // co-led: both reminded
            task("a2", "2025-09-01", &["dgme"]),        // 29 days late: escalated
            task("a3", "2025-10-03", &["dgme-bis"]),    // shares focal@ with DGME
            task("a4", "2025-10-03", &["nomail"]),
        ];
        let today = d("2025-09-30");
        let decisions: Vec<Decision> = tasks
            .iter()
            .enumerate()
            .filter_map(|(i, t)| decide(t, today, None, i))
            .collect();
        let msgs = plan_scan(&tasks, &decisions, &people, Some("st"));
        let summary: Vec<(MessageKind, Vec<String>, Vec<usize>, Lang)> = msgs
            .iter()
            .map(|m| {
                (
                    m.kind,
                    m.to.clone(),
                    m.items.iter().map(|i| i.task).collect(),
                    m.language,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    MessageKind::Reminder,
                    vec!["dgme@x.ml".into(), "focal@x.ml".into()],
                    vec![1, 0, 2],
                    Lang::Fr
                ),
                (
                    MessageKind::Reminder,
                    vec!["oim@x.org".into()],
                    vec![0],
                    Lang::En
                ),
                (
                    MessageKind::Escalation,
                    vec!["cab@x.ml".into()],
                    vec![1],
                    Lang::Fr
                ),
                (
                    MessageKind::Escalation,
                    vec!["st@x.ml".into()],
                    vec![1],
                    Lang::Fr
                ),
            ]
        );
    }

    #[test]
    fn digest_lists_overdue_and_the_next_30_days() {
        let people = vec![Recipient {
            id: "dgme".into(),
            name: "DGME".into(),
            emails: vec!["dgme@x.ml".into()],
            language: Lang::Fr,
            parent: None,
        }];
        let mut done = task("a4", "2025-10-10", &["dgme"]);
        done.status = Status::Done;
        let tasks = vec![
            task("a1", "2025-12-31", &["dgme"]),
            task("a2", "2025-10-20", &["dgme"]),
            task("a3", "2025-09-01", &["dgme"]),
            done,
        ];
        let msgs = plan_digest(&tasks, &people, d("2025-10-01"));
        assert_eq!(msgs.len(), 1);
        assert_eq!(
            msgs[0].items.iter().map(|i| i.task).collect::<Vec<_>>(),
            [2, 1]
        );
    }

    #[test]
    fn stored_policy_overrides() {
        let p = StoredPolicy {
            schedule: "0 8 * * MON-FRI".into(),
            before: vec![14, 3],
            on_deadline: true,
            overdue_every: 7,
            escalate_after: 14,
            digest: None,
            on_start: false,
        };
        assert_eq!(p.effective(Some("\"off\"")), None);
        let e = p.effective(Some(r#"{"before":[30,7],"on_deadline":null,"on_start":null,"overdue_every":null,"escalate_after":3}"#)).expect("policy");
        assert_eq!(
            (e.before, e.on_deadline, e.escalate_after, e.overdue_every),
            (vec![30, 7], true, 3, 7)
        );
    }

    #[test]
    fn a_message_lists_its_tasks_in_deadline_order_then_by_id() {
        let people = vec![Recipient {
            id: "dgme".into(),
            name: "DGME".into(),
            emails: vec!["dgme@x.ml".into()],
            language: Lang::Fr,
            parent: None,
        }];
        let tasks = vec![
            task("a3", "2025-12-31", &["dgme"]),
            task("a1", "2025-12-31", &["dgme"]),
            task("a9", "2025-03-31", &["dgme"]),
            task("a2", "2025-06-30", &["dgme"]),
        ];
        // Occurrence dates in another order than the deadlines (a `before` reminder of a far
        // deadline falls later than an overdue one of a near deadline).
        let dates = ["2025-12-17", "2025-12-28", "2025-04-07", "2025-07-07"];
        let decisions: Vec<Decision> = dates
            .iter()
            .enumerate()
            .map(|(i, date)| Decision {
                item: DueItem {
                    task: i,
                    occasion: Occasion::Overdue,
                    date: d(date),
                    escalated: false,
                    role: None,
                },
                superseded: 0,
                superseded_items: vec![],
            })
            .collect();
        let msgs = plan_scan(&tasks, &decisions, &people, None);
        let ids: Vec<&str> = msgs[0]
            .items
            .iter()
            .map(|i| tasks[i.task].id.as_str())
            .collect();
        assert_eq!(ids, ["a9", "a2", "a1", "a3"]);
    }

    #[test]
    fn escalations_carry_the_role_of_their_recipient() {
        let person = |id: &str, parent: Option<&str>| Recipient {
            id: id.into(),
            name: id.to_uppercase(),
            emails: vec![format!("{id}@x.ml")],
            language: Lang::Fr,
            parent: parent.map(str::to_string),
        };
        let people = vec![
            person("mmeia", None),
            person("dgme", Some("mmeia")),
            person("st", None),
        ];
        let tasks = vec![task("a1", "2025-09-01", &["dgme"])];
        let dec = decide(&tasks[0], d("2025-09-30"), None, 0).expect("due");
        assert!(dec.item.escalated);
        let msgs = plan_scan(&tasks, &[dec], &people, Some("st"));
        let roles: Vec<(Vec<String>, Option<Role>)> = msgs
            .iter()
            .filter(|m| m.kind == MessageKind::Escalation)
            .map(|m| (m.owners.clone(), m.items[0].role.clone()))
            .collect();
        assert_eq!(
            roles,
            [
                (
                    vec!["mmeia".to_string()],
                    Some(Role {
                        supervises: vec!["dgme".into()],
                        secretariat: false
                    })
                ),
                (
                    vec!["st".to_string()],
                    Some(Role {
                        supervises: vec![],
                        secretariat: true
                    })
                ),
            ]
        );
        assert_eq!(Occasion::from_key("before-14"), Some(Occasion::Before(14)));
        assert_eq!(Occasion::from_key("overdue"), Some(Occasion::Overdue));
    }
}
