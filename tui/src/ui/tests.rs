//! `update` tests (actions in, state and effects out) and snapshots of every screen and form
//! rendered into ratatui's `TestBackend`, with fixed data and date, at 80x24 and 160x48, in
//! French and English.

use super::state::{update, Action, Effect, FormKind, PickerKind, Screen, State};
use super::view;
use cnrm_engine::records::{
    Event, HistoryItem, IndicatorInfo, OutboxRow, OwnerInfo, PlanInfo, PriorityInfo, Snapshot,
    TaskMoney, TaskRow,
};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

#[allow(clippy::too_many_arguments)]
fn task(
    id: &str,
    prio: &str,
    title: &str,
    deadline: Option<&str>,
    status: Status,
    progress: i64,
    overdue: i64,
    owners: &[&str],
) -> TaskMoney {
    TaskMoney {
        row: TaskRow {
            id: id.into(),
            plan: "pao".into(),
            priority: prio.into(),
            title: title.into(),
            owners: owners.iter().map(|s| s.to_string()).collect(),
            partners: vec!["oim".into()],
            deadline: deadline.map(str::to_string),
            deadline_label: deadline.unwrap_or("continu").to_string(),
            status,
            progress,
            overdue: overdue > 0,
            days_late: overdue,
            milestone: id.ends_with('1'),
            archived: false,
        },
        planned: 12_500_000.0,
        secured: 6_000_000.0,
        pledged: 2_500_000.0,
        needed: 4_000_000.0,
        spent: 1_250_000.0,
        funding: vec![
            ("ue".into(), "secured".into(), 6_000_000.0),
            ("oim".into(), "pledged".into(), 2_500_000.0),
            ("".into(), "needed".into(), 4_000_000.0),
        ],
    }
}

/// A small plan, the same every time.
pub fn fixture() -> Snapshot {
    Snapshot {
        plan_id: "pao".into(),
        plan_title: "Plan d'actions du CNRM".into(),
        currency: "XOF".into(),
        revision: 2,
        today: chrono::NaiveDate::from_ymd_opt(2025, 10, 1).expect("date"),
        priorities: vec![
            PriorityInfo {
                id: "axe-1".into(),
                title: "Gouvernance et coordination".into(),
            },
            PriorityInfo {
                id: "axe-2".into(),
                title: "Accueil et protection".into(),
            },
        ],
        owners: vec![
            OwnerInfo {
                id: "mmeia".into(),
                name: "Ministère des Maliens de l'extérieur".into(),
                short: Some("MMEIA".into()),
                emails: vec!["cab@example.ml".into()],
            },
            OwnerInfo {
                id: "dgme".into(),
                name: "Délégation générale".into(),
                short: Some("DGME".into()),
                emails: vec![],
            },
            OwnerInfo {
                id: "ue".into(),
                name: "Union européenne".into(),
                short: Some("UE".into()),
                emails: vec![],
            },
        ],
        tasks: vec![
            task(
                "axe-1.a1",
                "axe-1",
                "Adopter le règlement intérieur : l'échéance",
                Some("2025-06-30"),
                Status::Done,
                100,
                0,
                &["mmeia"],
            ),
            task(
                "axe-1.a2",
                "axe-1",
                "Désigner les points focaux",
                Some("2025-09-15"),
                Status::InProgress,
                40,
                16,
                &["dgme"],
            ),
            task(
                "axe-1.a3",
                "axe-1",
                "Tenir les sessions ordinaires",
                Some("2025-10-10"),
                Status::Todo,
                0,
                0,
                &["mmeia", "dgme"],
            ),
            task(
                "axe-2.a1",
                "axe-2",
                "Accueillir à l'aéroport",
                None,
                Status::InProgress,
                50,
                0,
                &["dgme"],
            ),
            task(
                "axe-2.a2",
                "axe-2",
                "Ouvrir le centre de Kayes",
                Some("2025-12-31"),
                Status::Blocked,
                10,
                0,
                &["dgme"],
            ),
        ],
        indicators: vec![IndicatorInfo {
            id: "axe-2.i1".into(),
            priority: "axe-2".into(),
            title: "Migrants accueillis".into(),
            unit: Some("personnes".into()),
            baseline: Some(0.0),
            target: Some(1000.0),
            due: Some("2025-12-31".into()),
            latest: Some(("2025-09-30".into(), 420.0)),
        }],
        outbox: vec![
            OutboxRow {
                id: 2,
                kind: "reminder".into(),
                to: vec!["cab@example.ml".into()],
                subject: "[CNRM] Rappel : 1 tâche".into(),
                status: "failed".into(),
                attempts: 1,
                last_error: Some("le serveur SMTP 127.0.0.1:2525 refuse la connexion (aucun service sur ce port ?)".into()),
                created_at: "2025-10-01T08:00:00Z".into(),
                sent_at: None,
                plan: "pao".into(),
                next_attempt_at: "2025-10-01T08:01:00Z".into(),
            },
            OutboxRow {
                id: 1,
                kind: "escalation".into(),
                to: vec!["st@example.ml".into()],
                subject: "[CNRM] Escalade : 1 tâche en retard".into(),
                status: "sent".into(),
                attempts: 1,
                last_error: None,
                created_at: "2025-09-30T08:00:00Z".into(),
                sent_at: Some("2025-09-30T08:00:02Z".into()),
                plan: "pao".into(),
                next_attempt_at: "2025-09-30T08:00:00Z".into(),
            },
        ],
        history: vec![
            HistoryItem {
                at: "2025-09-30T10:00:00Z".into(),
                actor: "awa".into(),
                task: Some("axe-1.a1".into()),
                event: Event::from_stored(
                    "update",
                    r#"{"status": {"from": "in_progress", "to": "done"}}"#,
                ),
                note: Some("Adopté en session".into()),
                // A member's reply: the history says it came by e-mail.
                source: Some("e-mail".into()),
            },
            HistoryItem {
                at: "2025-09-01T09:00:00Z".into(),
                actor: "moussa".into(),
                task: None,
                event: Event::from_stored(
                    "revision",
                    r#"{"revision": 2, "added": 1, "changed": 2, "archived": 0}"#,
                ),
                note: Some("report suite au remaniement".into()),
                source: None,
            },
        ],
        marker: "m".into(),
        dates: Default::default(),
    }
}

fn loaded(lang: Lang) -> State {
    let mut s = State::new(lang);
    update(&mut s, Action::Loaded(Box::new(fixture())));
    update(&mut s, Action::InboxLoaded(inbox_fixture()));
    s
}

/// Three replies received: applied, rejected (forged sender), ignored (out of office).
fn inbox_fixture() -> Vec<cnrm_engine::store::InboxRow> {
    use cnrm_engine::store::{AppliedChange, InboxRow};
    let row = |id: i64, from: &str, subject: &str, status: &str| InboxRow {
        id,
        message_id: format!("<r{id}@example.ml>"),
        received_at: format!("2025-10-01T0{id}:15:00Z"),
        date: None,
        from: from.into(),
        subject: subject.into(),
        status: status.into(),
        reason: None,
        plan: Some("pao".into()),
        matched_message_id: Some("<m1@cnrm.local>".into()),
        in_reply_to: Some("<m1@cnrm.local>".into()),
        changes: Vec::new(),
        not_understood: Vec::new(),
        answer: None,
        postpone_pending: false,
        text: String::new(),
        notes: None,
    };
    let mut applied = row(
        3,
        "cab@example.ml",
        "RE: [CNRM] Rappel : 2 tâches",
        "applied",
    );
    applied.changes = vec![
        AppliedChange {
            task: "axe-1.a1".into(),
            kind: "status".into(),
            value: serde_json::json!("done"),
        },
        AppliedChange {
            task: "axe-1.a2".into(),
            kind: "progress".into(),
            value: serde_json::json!(60),
        },
    ];
    applied.not_understood = vec!["merci pour le rappel".into()];
    applied.text = "1 : fait\n2 : avancement 60 %\nmerci pour le rappel".into();
    let mut rejected = row(2, "intrus@example.net", "RE: [CNRM] Rappel", "rejected");
    rejected.reason = Some("sender_not_recipient".into());
    rejected.text = "1 : annulé".into();
    let mut ignored = row(
        1,
        "cab@example.ml",
        "Réponse automatique : absent",
        "ignored",
    );
    ignored.reason = Some("automatic".into());
    ignored.text = "Je suis absente jusqu'au 15 octobre.".into();
    vec![applied, rejected, ignored]
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

trait Ctrl {
    fn ctrl_u(self) -> Action;
}

impl Ctrl for Action {
    /// The same key with Ctrl held.
    fn ctrl_u(self) -> Action {
        match self {
            Action::Key(k) => Action::Key(KeyEvent::new(k.code, KeyModifiers::CONTROL)),
            other => other,
        }
    }
}

fn plan_info(id: &str, title: &str) -> PlanInfo {
    PlanInfo {
        id: id.into(),
        title: title.into(),
        revision: 1,
        updated_at: "2025-09-01T00:00:00Z".into(),
        source: "plan.yaml".into(),
        timezone: "Africa/Bamako".into(),
        currency: "XOF".into(),
        language: "fr".into(),
        tasks: 5,
        open: 4,
        overdue: 1,
        last_actor: None,
        last_message: None,
    }
}

#[test]
fn several_plans_open_a_picker_one_plan_opens_none_says_how_to_load() {
    let mut s = State::new(Lang::Fr);
    let effects = update(
        &mut s,
        Action::Plans(vec![
            plan_info("pao", "Plan d'actions"),
            plan_info("autre", "Autre plan"),
        ]),
    );
    assert!(effects.is_empty());
    assert_eq!(s.picker.as_ref().map(|p| p.kind), Some(PickerKind::Plan));
    let text = render(&s, 80, 24);
    assert!(
        text.contains("Quel plan") && text.contains("Autre plan · 5 tâches · 1 en retard"),
        "{text}"
    );
    assert!(!text.contains("Chargement"), "{text}");
    update(&mut s, key(KeyCode::Esc));
    assert!(
        s.picker.is_some(),
        "nothing to go back to: the picker stays"
    );
    chars(&mut s, "autre");
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [
            Effect::UsePlan("autre".into()),
            Effect::Preview,
            Effect::Load { force: true }
        ]
    );
    // A late answer for another plan is not shown.
    update(&mut s, Action::Loaded(Box::new(fixture())));
    assert!(s.data.is_none());
    // P switches plans.
    let mut s = loaded(Lang::Fr);
    s.plans = Some(vec![
        plan_info("pao", "Plan d'actions"),
        plan_info("autre", "Autre plan"),
    ]);
    assert_eq!(update(&mut s, key(KeyCode::Char('P'))), [Effect::Plans]);
    assert_eq!(s.picker.as_ref().map(|p| p.selected), Some(0));

    let mut s = State::new(Lang::Fr);
    assert_eq!(
        update(&mut s, Action::Plans(vec![plan_info("pao", "Plan")])),
        [
            Effect::UsePlan("pao".into()),
            Effect::Preview,
            Effect::Load { force: true }
        ]
    );

    let mut s = State::new(Lang::En);
    assert!(update(&mut s, Action::Plans(vec![])).is_empty());
    let text = render(&s, 80, 24);
    assert!(
        text.contains("No plan in the database") && text.contains("cnrm plan apply FILE"),
        "{text}"
    );
    assert!(!text.contains("Loading"), "{text}");
    assert_eq!(
        update(&mut s, Action::Tick),
        [Effect::Plans],
        "it looks again"
    );
    let mut s = State::new(Lang::Fr);
    update(&mut s, Action::Plans(vec![]));
    insta::assert_snapshot!("fr_80x24_empty_database", render(&s, 80, 24));
}

#[test]
fn amounts_are_whole_or_abbreviated_to_three_digits() {
    use super::view::widgets::abbreviated;
    assert_eq!(abbreviated(Lang::Fr, 1_517_970_100.0), "1,52\u{a0}Md");
    assert_eq!(abbreviated(Lang::Fr, 27_247_500.0), "27,2\u{a0}M");
    assert_eq!(abbreviated(Lang::Fr, 999_960.0), "1,00\u{a0}M");
    assert_eq!(abbreviated(Lang::Fr, 950_000.0), "950\u{a0}k");
    assert_eq!(abbreviated(Lang::En, 2_766_622_246.0), "2.77\u{a0}bn");
    assert_eq!(abbreviated(Lang::Fr, 0.0), "0");
    // The money screen at 80 columns: the fixture's amounts whole, none cut.
    let mut s = loaded(Lang::Fr);
    s.screen = Screen::Money;
    let text = render(&s, 80, 24);
    for whole in [
        "37 500 000",
        "18 000 000",
        "7 500 000",
        "12 000 000",
        "3 750 000",
    ] {
        assert!(text.contains(whole), "{whole}: {text}");
    }
    // At 50 columns they no longer fit: abbreviated, never cut.
    let text = render(&s, 50, 24);
    assert!(
        text.contains("37,5\u{a0}M") || text.contains("37,5 M"),
        "{text}"
    );
}

#[test]
fn the_timeline_opens_on_the_earliest_open_deadline_and_scrolls() {
    let mut s = loaded(Lang::Fr);
    s.screen = Screen::Timeline;
    let text = render(&s, 80, 24);
    // axe-1.a1 is done (June); the earliest open one is September's, overdue.
    assert!(
        text.contains("septembre 2025 · 1 échéance · 1 en retard"),
        "{text}"
    );
    assert!(text.contains("⚠ 15 axe-1.a2"), "{text}");
    assert!(text.contains("Désigner les points focaux"), "{text}");
    assert!(!text.contains("juin 2025"), "{text}");
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Up));
    assert!(render(&s, 80, 24).contains("juin 2025"));
}

#[test]
fn owners_open_their_tasks_and_the_outbox_a_whole_message() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('3')));
    let text = render(&s, 80, 24);
    assert!(text.contains("DGME — Délégation générale"), "{text}");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.screen, Screen::Tasks);
    assert_eq!(s.filters.owner.as_deref(), Some("mmeia"));
    assert_eq!(s.visible.len(), 2);
    update(&mut s, key(KeyCode::Char('7')));
    assert_eq!(update(&mut s, key(KeyCode::Enter)), [Effect::OutboxText(2)]);
    update(
        &mut s,
        Action::OutboxText(2, "Bonjour,\nvoici vos tâches.".into()),
    );
    let text = render(&s, 80, 24);
    assert!(
        text.contains("(aucun service sur ce port ?)") && text.contains("voici vos tâches."),
        "{text}"
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.outbox_open.is_none());
}

#[test]
fn errors_show_whole_and_tabs_fit_at_80_columns() {
    let mut s = loaded(Lang::Fr);
    let long = "la base de données postgres://127.0.0.1:5432/test ne répond pas : vérifiez que le serveur tourne et que le pare-feu laisse passer le port 5432, puis réessayez (Ctrl+R)";
    update(&mut s, Action::Done(Err(long.into())));
    let text = render(&s, 80, 24);
    let flat: String = text
        .lines()
        .map(|l| l.trim_matches(|c| c == '"' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("réessayez (Ctrl+R)"), "{text}");
    for n in 1..=8 {
        assert!(text.contains(&format!("{n}")), "{text}");
    }
    assert!(
        text.contains("1 en retard"),
        "the overdue count shows: {text}"
    );
}

fn chars(state: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| update(state, key(KeyCode::Char(c))))
        .collect()
}

fn render(state: &State, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| view::draw(f, state)).expect("draw");
    terminal.backend().to_string()
}

#[test]
fn number_keys_and_tab_switch_screens() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('2')));
    assert_eq!(s.screen, Screen::Tasks);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.screen, Screen::Owners);
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.screen, Screen::Dashboard);
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.screen, Screen::Inbox, "the last screen");
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.screen, Screen::History);
    assert_eq!(update(&mut s, key(KeyCode::Char('q'))), [Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn search_is_accent_insensitive_and_filters_combine() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('2')));
    assert_eq!(s.visible.len(), 5);
    update(&mut s, key(KeyCode::Char('/')));
    chars(&mut s, "echeance");
    assert!(s.searching);
    assert_eq!(s.visible.len(), 1);
    assert_eq!(
        s.selected_task().map(|t| t.row.id.as_str()),
        Some("axe-1.a1")
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.visible.len(), 5, "Esc clears the search");
    update(&mut s, key(KeyCode::Char('o')));
    assert_eq!(s.visible.len(), 1, "overdue only");
    update(&mut s, key(KeyCode::Char('o')));
    // The owner picker: only owners that lead tasks, full names, typing narrows.
    update(&mut s, key(KeyCode::Char('w')));
    let picker = s.picker.clone().expect("picker");
    let labels: Vec<&str> = picker.items.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "— tous —",
            "Délégation générale (DGME)",
            "Ministère des Maliens de l'extérieur (MMEIA)"
        ],
        "the funder UE leads no task"
    );
    chars(&mut s, "delegation");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.filters.owner.as_deref(), Some("dgme"));
    assert_eq!(s.visible.len(), 4);
    let text = render(&s, 80, 24).replace('\u{a0}', " ");
    assert!(text.contains("filtres : responsable : DGME"), "{text}");
    // Several statuses at once.
    update(&mut s, key(KeyCode::Char('f')));
    chars(&mut s, "bloq");
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Char('u')).ctrl_u());
    chars(&mut s, "cours");
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.filters.status, [Status::InProgress, Status::Blocked]);
    assert_eq!(s.visible.len(), 3);
    let text = render(&s, 160, 48).replace('\u{a0}', " ");
    assert!(
        text.contains("filtres : statut : en cours, bloquée · responsable : DGME"),
        "{text}"
    );
    // Nothing left: said, with how to clear.
    update(&mut s, key(KeyCode::Char('/')));
    chars(&mut s, "zzz");
    update(&mut s, key(KeyCode::Enter));
    let text = render(&s, 80, 24);
    assert!(
        text.contains("aucune tâche") && text.contains("x retire les filtres"),
        "{text}"
    );
    update(&mut s, key(KeyCode::Char('x')));
    assert_eq!(s.visible.len(), 5);
}

#[test]
fn sorting_by_any_column() {
    let mut s = loaded(Lang::En);
    update(&mut s, key(KeyCode::Char('2')));
    let ids = |s: &State| -> Vec<String> {
        s.visible
            .iter()
            .map(|i| {
                s.data
                    .as_ref()
                    .map(|d| d.tasks[*i].row.id.clone())
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        ids(&s),
        ["axe-1.a1", "axe-1.a2", "axe-1.a3", "axe-2.a2", "axe-2.a1"],
        "by deadline, ongoing last"
    );
    update(&mut s, key(KeyCode::Char('s')));
    update(&mut s, key(KeyCode::Char('s')));
    assert_eq!(s.sort, super::state::Column::Progress);
    assert_eq!(ids(&s)[0], "axe-1.a3");
    update(&mut s, key(KeyCode::Char('S')));
    assert_eq!(ids(&s)[0], "axe-1.a1", "reversed");
}

#[test]
fn forms_validate_and_ask_for_one_effect() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('2')));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(
        s.selected_task().map(|t| t.row.id.as_str()),
        Some("axe-1.a2")
    );
    update(&mut s, key(KeyCode::Char('a')));
    assert_eq!(s.form.as_ref().map(|f| f.kind), Some(FormKind::Progress));
    chars(&mut s, "140");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(s
        .form
        .as_ref()
        .and_then(|f| f.error.clone())
        .is_some_and(|e| super::text::form_error(Lang::Fr, &e).contains("0 à 100")));
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Backspace));
    }
    chars(&mut s, "75");
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::SetProgress {
            task: "axe-1.a2".into(),
            progress: 75
        }]
    );
    assert!(s.form.is_none());

    update(&mut s, key(KeyCode::Char('t')));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::SetStatus {
            task: "axe-1.a2".into(),
            status: Status::Done,
            note: None,
            date: None,
        }]
    );

    update(&mut s, key(KeyCode::Char('n')));
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "an empty note is refused"
    );
    chars(&mut s, "Réunion à Kayes");
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::Note {
            task: "axe-1.a2".into(),
            note: "Réunion à Kayes".into()
        }]
    );

    // A spending: 0 is refused as the command line refuses it; date, currency and note.
    update(&mut s, key(KeyCode::Char('d')));
    chars(&mut s, "0");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert_eq!(
        s.form.as_ref().and_then(|f| f.error.clone()),
        Some(super::state::FormError::Amount)
    );
    update(&mut s, key(KeyCode::Backspace));
    chars(&mut s, "1 250 000");
    update(&mut s, key(KeyCode::Tab));
    chars(&mut s, "31/02/2026");
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "no such day"
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("✗"), "{text}");
    for _ in 0..10 {
        update(&mut s, key(KeyCode::Backspace));
    }
    chars(&mut s, "15/03/2026");
    update(&mut s, key(KeyCode::Tab));
    chars(&mut s, "eur");
    update(&mut s, key(KeyCode::Tab));
    chars(&mut s, "atelier");
    insta::assert_snapshot!("fr_spend_form", render(&s, 80, 24));
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::Spend {
            task: "axe-1.a2".into(),
            amount: 1_250_000.0,
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 15),
            currency: Some("EUR".into()),
            note: Some("atelier".into()),
        }]
    );
    // Cancelling a spending entry.
    update(&mut s, key(KeyCode::Char('c')));
    chars(&mut s, "zéro");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Backspace));
    }
    chars(&mut s, "2");
    update(&mut s, key(KeyCode::Tab));
    chars(&mut s, "saisie en double");
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::CancelSpending {
            task: "axe-1.a2".into(),
            entry: 2,
            note: Some("saisie en double".into()),
        }]
    );

    update(&mut s, key(KeyCode::Char('6')));
    update(&mut s, key(KeyCode::Char('r')));
    chars(&mut s, "12,5");
    update(&mut s, key(KeyCode::Tab));
    chars(&mut s, "2026-03-01");
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::RecordIndicator {
            id: "axe-2.i1".into(),
            value: 12.5,
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
            note: None,
        }]
    );
    // `c` shows the numbered values; `c` there cancels the one chosen.
    assert_eq!(
        update(&mut s, key(KeyCode::Char('c'))),
        [Effect::IndicatorValues("axe-2.i1".into())]
    );
    update(&mut s, Action::IndicatorValues("axe-2.i1".into(), values()));
    update(&mut s, key(KeyCode::Home));
    update(&mut s, key(KeyCode::Char('c')));
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::CancelIndicator {
            id: "axe-2.i1".into(),
            entry: 1,
            note: None,
        }]
    );
    update(&mut s, key(KeyCode::Char('r')));
    assert!(
        update(&mut s, key(KeyCode::Esc)).is_empty() && s.form.is_none(),
        "Esc cancels"
    );
}

#[test]
fn results_and_refreshes() {
    let mut s = loaded(Lang::Fr);
    assert_eq!(
        update(&mut s, Action::Done(Ok("fait".into()))),
        [Effect::Load { force: true }]
    );
    assert_eq!(s.status_line, Some((false, "fait".into())));
    assert!(update(&mut s, Action::Done(Err("la base est occupée".into()))).is_empty());
    assert_eq!(s.status_line, Some((true, "la base est occupée".into())));
    assert_eq!(
        update(&mut s, Action::Tick),
        [Effect::Load { force: false }]
    );
    update(&mut s, key(KeyCode::Char('2')));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Down));
    // A refresh keeps the cursor on the same task.
    update(&mut s, Action::Loaded(Box::new(fixture())));
    assert_eq!(
        s.selected_task().map(|t| t.row.id.as_str()),
        Some("axe-1.a3")
    );
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::Detail("axe-1.a3".into())]
    );
    update(&mut s, key(KeyCode::Char('7')));
    assert_eq!(
        update(&mut s, key(KeyCode::Char('r'))),
        [Effect::RetryOutbox(Some(2))]
    );
}

#[test]
fn every_screen_renders_in_both_languages_and_sizes() {
    for lang in [Lang::Fr, Lang::En] {
        for (w, h) in [(80u16, 24u16), (160, 48)] {
            for screen in Screen::ALL {
                let mut s = loaded(lang);
                s.screen = screen;
                let text = render(&s, w, h);
                insta::assert_snapshot!(
                    format!("{}_{}x{}_{:?}", lang, w, h, screen).to_lowercase(),
                    text
                );
            }
        }
    }
}

#[test]
fn the_inbox_screen_loads_when_shown_and_opens_the_original_text_on_enter() {
    let mut s = State::new(Lang::Fr);
    update(&mut s, Action::Loaded(Box::new(fixture())));
    assert_eq!(update(&mut s, key(KeyCode::Char('9'))), [Effect::LoadInbox]);
    assert_eq!(s.screen, Screen::Inbox);
    assert!(render(&s, 80, 24).contains("Chargement"));
    assert_eq!(
        update(&mut s, Action::Tick),
        [Effect::Load { force: false }, Effect::LoadInbox],
        "refreshed while shown"
    );
    update(&mut s, Action::InboxLoaded(inbox_fixture()));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.inbox.selected_row().map(|r| r.id), Some(2));
    // A refresh keeps the cursor on the same message, wherever it now is.
    let mut newer = inbox_fixture();
    newer.insert(0, newer[2].clone());
    newer[0].id = 4;
    update(&mut s, Action::InboxLoaded(newer));
    assert_eq!(s.inbox.selected_row().map(|r| r.id), Some(2));
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.inbox.open);
    insta::assert_snapshot!("fr_80x24_inbox_open", render(&s, 80, 24));
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.inbox.open);
    let mut en = loaded(Lang::En);
    en.screen = Screen::Inbox;
    update(&mut en, key(KeyCode::Down));
    update(&mut en, key(KeyCode::Enter));
    let text = render(&en, 160, 48);
    assert!(
        text.contains("intrus@example.net") && text.contains("1 : annulé"),
        "{text}"
    );
    insta::assert_snapshot!("en_160x48_inbox_open", text);
    // Nothing received yet: one sentence saying where replies come from.
    let mut empty = loaded(Lang::Fr);
    update(&mut empty, Action::InboxLoaded(Vec::new()));
    empty.screen = Screen::Inbox;
    assert!(update(&mut empty, key(KeyCode::Enter)).is_empty() && !empty.inbox.open);
    assert!(render(&empty, 160, 48).contains("Aucune réponse reçue"));
}

#[test]
fn control_characters_in_a_reply_are_shown_not_sent_to_the_terminal() {
    let mut rows = inbox_fixture();
    rows[0].subject = "Re\u{1b}[2J: rappel".into();
    rows[0].text = "fait\u{1b}]0;pwned\u{7}\nsuite\r".into();
    let mut s = loaded(Lang::Fr);
    update(&mut s, Action::InboxLoaded(rows));
    update(&mut s, key(KeyCode::Char('9')));
    update(&mut s, key(KeyCode::Enter));
    let out = render(&s, 160, 48);
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out}");
    assert!(
        out.contains("Re\u{fffd}[2J: rappel") && out.contains("suite"),
        "{out}"
    );
}

#[test]
fn forms_help_and_loading_render() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('2')));
    update(&mut s, key(KeyCode::Char('t')));
    insta::assert_snapshot!("fr_status_form", render(&s, 80, 24));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Char('a')));
    chars(&mut s, "abc");
    update(&mut s, key(KeyCode::Enter));
    insta::assert_snapshot!("fr_progress_form_error", render(&s, 80, 24));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Char('?')));
    insta::assert_snapshot!("fr_tasks_help", render(&s, 80, 24));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Enter));
    insta::assert_snapshot!("fr_tasks_detail_loading", render(&s, 80, 24));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Char('w')));
    insta::assert_snapshot!("fr_owner_picker", render(&s, 80, 24));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Char('f')));
    update(&mut s, key(KeyCode::Char(' ')));
    insta::assert_snapshot!("fr_status_picker", render(&s, 80, 24));
    update(&mut s, key(KeyCode::Esc));
    let mut p = State::new(Lang::En);
    update(
        &mut p,
        Action::Plans(vec![
            plan_info("pao", "Action plan"),
            plan_info("other", "Other plan"),
        ]),
    );
    insta::assert_snapshot!("en_160x48_plan_picker", render(&p, 160, 48));
    let empty = State::new(Lang::En);
    let text = render(&empty, 80, 24);
    assert!(text.contains("Loading…"), "{text}");
}

#[test]
fn resizing_to_tiny_terminals_does_not_panic() {
    // With a picker, a form, a message or an error open too.
    let mut overlays = Vec::new();
    for keys in ["2w", "2f", "2d", "2c", "6r", "7\n", "2\n"] {
        let mut s = loaded(Lang::Fr);
        for c in keys.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            update(&mut s, key(code));
        }
        overlays.push(s);
    }
    let mut s = loaded(Lang::Fr);
    update(
        &mut s,
        Action::Done(Err(
            "une erreur assez longue pour tenir sur plusieurs lignes".into(),
        )),
    );
    overlays.push(s);
    let mut s = State::new(Lang::Fr);
    update(&mut s, Action::Plans(vec![]));
    overlays.push(s);
    for s in &overlays {
        for (w, h) in [(20u16, 5u16), (1, 1), (200, 3), (40, 60), (30, 10)] {
            let _ = render(s, w, h);
        }
    }
    for screen in Screen::ALL {
        let mut s = loaded(Lang::Fr);
        s.screen = screen;
        for (w, h) in [(20u16, 5u16), (1, 1), (200, 3), (40, 60)] {
            let _ = render(&s, w, h);
        }
    }
}

#[test]
fn control_characters_in_written_texts_are_shown_not_sent_to_the_terminal() {
    let mut data = fixture();
    data.tasks[0].row.title = "Atelier\u{1b}[2J\u{1b}]0;pwned\u{7}\r\nsuite".into();
    data.priorities[0].title = "Gouvernance\u{1b}[31m".into();
    data.owners[0].short = Some("MME\u{0}IA".into());
    data.history[0].note = Some("note\u{1b}[1m\nsuite".into());
    let mut s = State::new(Lang::Fr);
    update(&mut s, Action::Loaded(Box::new(data)));
    let title = &s.data.as_ref().expect("loaded").tasks[0].row.title;
    assert_eq!(title, "Atelier\u{fffd}[2J\u{fffd}]0;pwned\u{fffd}⏎suite");
    for screen in ['1', '2', '3', '8'] {
        update(&mut s, key(KeyCode::Char(screen)));
        let out = render(&s, 160, 48);
        assert!(!out.contains('\u{1b}'), "screen {screen}: {out}");
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out}");
    }
    update(&mut s, key(KeyCode::Char('2')));
    assert!(render(&s, 160, 48).contains("Atelier�[2J�]0;pwned�⏎suite"));
    update(&mut s, key(KeyCode::Char('1')));
    assert!(render(&s, 160, 48).contains("Gouvernance�[31m"));
}

#[test]
fn the_outbox_and_the_history_hold_no_english_word_in_french() {
    let english = [
        "revision",
        "update",
        "todo",
        "in_progress",
        "done",
        "failed",
        "pending",
        "sent",
        "error",
        "reminder",
        "escalation",
        "attempts",
        "status",
    ];
    for screen in [Screen::Outbox, Screen::History] {
        for (w, h) in [(80u16, 24u16), (160, 48)] {
            let mut s = loaded(Lang::Fr);
            s.screen = screen;
            let text = render(&s, w, h).to_lowercase();
            for word in english {
                let found = text
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|w| w == word);
                assert!(!found, "{screen:?} {w}x{h}: `{word}` in\n{text}");
            }
        }
    }
    // The whole message too.
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('7')));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, Action::OutboxText(2, "Bonjour,".into()));
    let text = render(&s, 80, 24).to_lowercase();
    for word in english {
        assert!(
            !text
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == word),
            "`{word}` in\n{text}"
        );
    }
}

#[test]
fn the_status_form_takes_a_note_and_a_date_and_tab_moves_between_its_fields() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('2')));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Char('t')));
    // The task is in progress: → makes it blocked, then Tab goes to the note, not to a status.
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.form.as_ref().map(|f| (f.field, f.choice)), Some((1, 2)));
    chars(&mut s, "attente du décret");
    update(&mut s, key(KeyCode::Tab));
    chars(&mut s, "32/09/2025");
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "no such day"
    );
    let text = render(&s, 80, 24);
    assert!(
        text.contains("✗") && text.contains("date du changement"),
        "{text}"
    );
    for _ in 0..10 {
        update(&mut s, key(KeyCode::Backspace));
    }
    chars(&mut s, "28/09/2025");
    insta::assert_snapshot!("fr_status_form_filled", render(&s, 80, 24));
    // Shift+Tab goes back; ← → change the status only on its own field.
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.form.as_ref().map(|f| f.field), Some(0));
    update(&mut s, key(KeyCode::Left));
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::SetStatus {
            task: "axe-1.a2".into(),
            status: Status::InProgress,
            note: Some("attente du décret".into()),
            date: chrono::NaiveDate::from_ymd_opt(2025, 9, 28),
        }]
    );
    let mut en = loaded(Lang::En);
    update(&mut en, key(KeyCode::Char('2')));
    update(&mut en, key(KeyCode::Char('t')));
    insta::assert_snapshot!("en_status_form", render(&en, 80, 24));
}

fn values() -> Vec<cnrm_engine::records::IndicatorValue> {
    let v = |entry: i64, date: &str, value: f64, cancelled: bool| {
        cnrm_engine::records::IndicatorValue {
            entry,
            date: date.into(),
            value,
            note: (entry == 2).then(|| "saisie en double".into()),
            actor: "awa".into(),
            at: format!("{date}T10:00:00Z"),
            cancelled,
        }
    };
    vec![
        v(1, "2025-06-30", 250.0, false),
        v(2, "2025-09-30", 4200.0, true),
        v(3, "2025-09-30", 420.0, false),
    ]
}

#[test]
fn the_indicators_show_their_numbered_values_and_c_cancels_the_one_chosen() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('6')));
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::IndicatorValues("axe-2.i1".into())]
    );
    assert!(render(&s, 80, 24).contains("Chargement"));
    update(&mut s, Action::IndicatorValues("axe-2.i1".into(), values()));
    let text = render(&s, 80, 24);
    for n in ["n°\u{a0}1", "n°\u{a0}2", "n°\u{a0}3"] {
        let n = n.replace('\u{a0}', " ");
        assert!(text.replace('\u{a0}', " ").contains(&n), "{n}: {text}");
    }
    insta::assert_snapshot!("fr_80x24_indicator_values", text);
    insta::assert_snapshot!("fr_160x48_indicator_values", render(&s, 160, 48));
    // The newest is chosen; ↑ the first; c asks for its reason, the number filled in.
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Char('c')));
    let form = s.form.clone().expect("a form");
    assert_eq!(
        (form.kind, form.inputs[0].as_str(), form.field),
        (FormKind::CancelIndicator, "1", 1)
    );
    chars(&mut s, "erreur de saisie");
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        [Effect::CancelIndicator {
            id: "axe-2.i1".into(),
            entry: 1,
            note: Some("erreur de saisie".into()),
        }]
    );
    // The result reloads the values shown.
    assert_eq!(
        update(&mut s, Action::Done(Ok("annulée".into()))),
        [
            Effect::Load { force: true },
            Effect::IndicatorValues("axe-2.i1".into())
        ]
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.indicator_values.is_none() && s.screen == Screen::Indicators);
    // `c` on the list shows the values to choose from.
    assert_eq!(
        update(&mut s, key(KeyCode::Char('c'))),
        [Effect::IndicatorValues("axe-2.i1".into())]
    );
    let mut en = loaded(Lang::En);
    en.screen = Screen::Indicators;
    update(&mut en, key(KeyCode::Enter));
    update(
        &mut en,
        Action::IndicatorValues("axe-2.i1".into(), values()),
    );
    insta::assert_snapshot!("en_80x24_indicator_values", render(&en, 80, 24));
}

/// A six-task escalation, as the outbox holds it.
fn escalation_text() -> String {
    let mut text = String::from("Bonjour,\n\nLes tâches suivantes de la DGME sont en retard :\n");
    for i in 1..=6 {
        text.push_str(&format!(
            "\n{i}. axe-{i}.a1 — Tâche numéro {i} du plan\n   échéance : 31/12/2025 (T4 2025), en retard de {} jours\n   responsable : DGME\n",
            70 + i
        ));
    }
    text.push_str("\nPour répondre, écrivez une ligne par tâche.\n\nLe secrétariat du CNRM");
    text
}

#[test]
fn the_outbox_message_scrolls_and_closes_with_esc_q_or_enter_only() {
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('7')));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(update(&mut s, key(KeyCode::Enter)), [Effect::OutboxText(1)]);
    update(&mut s, Action::OutboxText(1, escalation_text()));
    let first = render(&s, 80, 24);
    assert!(
        first.contains("1. axe-1.a1") && !first.contains("6. axe-6.a1"),
        "{first}"
    );
    // A stray key does not close it.
    update(&mut s, key(KeyCode::Char('x')));
    update(&mut s, key(KeyCode::Char('2')));
    assert!(s.outbox_open.is_some() && s.screen == Screen::Outbox);
    update(&mut s, key(KeyCode::PageDown));
    update(&mut s, key(KeyCode::PageDown));
    update(&mut s, key(KeyCode::PageDown));
    let end = render(&s, 80, 24);
    assert!(
        end.contains("6. axe-6.a1") && end.contains("Le secrétariat du CNRM"),
        "{end}"
    );
    insta::assert_snapshot!("fr_80x24_outbox_message_end", end);
    update(&mut s, key(KeyCode::Up));
    assert!(render(&s, 80, 24).contains("6. axe-6.a1"));
    // q closes the message, not the program.
    assert!(update(&mut s, key(KeyCode::Char('q'))).is_empty());
    assert!(s.outbox_open.is_none() && !s.quit);
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.outbox_open.is_none(), "Entrée closes it too");
    // At 160x48 the whole message shows at once.
    update(&mut s, Action::Resize(160, 48));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, Action::OutboxText(1, escalation_text()));
    let whole = render(&s, 160, 48);
    assert!(
        whole.contains("1. axe-1.a1") && whole.contains("Le secrétariat du CNRM"),
        "{whole}"
    );
}

/// Every word of every help entry of `screen`, scrolling the help to its end.
fn help_shows_everything(lang: Lang, screen: Screen, w: u16, h: u16) {
    let mut s = loaded(lang);
    update(&mut s, Action::Resize(w, h));
    s.screen = screen;
    update(&mut s, key(KeyCode::Char('?')));
    let mut seen = String::new();
    for _ in 0..6 {
        seen.push_str(&render(&s, w, h));
        update(&mut s, key(KeyCode::PageDown));
    }
    assert!(s.help, "scrolling keeps the help open");
    let seen = seen.replace('\u{a0}', " ");
    for (k, v) in super::text::help(lang, screen) {
        for word in v.split([' ', '\u{a0}']).chain(k.split(' ')) {
            assert!(
                seen.contains(word),
                "{lang} {screen:?} {w}x{h}: `{word}` of `{v}` not shown:\n{seen}"
            );
        }
    }
}

#[test]
fn the_help_is_whole_at_80x24_and_160x48() {
    for lang in [Lang::Fr, Lang::En] {
        for screen in Screen::ALL {
            help_shows_everything(lang, screen, 80, 24);
            help_shows_everything(lang, screen, 160, 48);
        }
    }
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('2')));
    update(&mut s, key(KeyCode::Char('?')));
    insta::assert_snapshot!("fr_160x48_tasks_help", render(&s, 160, 48));
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.help);
}

#[test]
fn the_dashboard_agrees_counts_and_adds_up_money() {
    let mut data = fixture();
    for t in &mut data.tasks[1..3] {
        t.row.status = Status::Done;
    }
    let mut s = State::new(Lang::Fr);
    update(&mut s, Action::Loaded(Box::new(data)));
    let text = render(&s, 80, 24).replace('\u{a0}', " ");
    assert!(text.contains("3 terminées"), "{text}");
    assert!(text.contains("0 annulée"), "{text}");
    // prévu = acquis + promis + à chercher: 62,5 M = 30 M + 12,5 M + 20 M.
    for line in [
        "prévu      62 500 000 FCFA",
        "acquis     30 000 000 FCFA",
        "promis     12 500 000 FCFA",
        "à chercher 20 000 000 FCFA",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    // The priorities' names whole at 80 columns.
    assert!(
        text.contains("axe-1 Gouvernance et coordination")
            && text.contains("axe-2 Accueil et protection"),
        "{text}"
    );
    let en = render(&s, 80, 24);
    assert!(!en.contains("Gouve…"), "{en}");
}

#[test]
fn the_id_column_is_as_wide_as_the_ids_on_screen() {
    let mut data = fixture();
    let mut occurrence = data.tasks[2].clone();
    occurrence.row.id = "axe-1.a3@2026-03-31".into();
    occurrence.row.deadline = Some("2026-03-31".into());
    data.tasks.push(occurrence);
    let mut s = State::new(Lang::Fr);
    update(&mut s, Action::Loaded(Box::new(data)));
    update(&mut s, key(KeyCode::Char('2')));
    let with = render(&s, 80, 24);
    assert!(with.contains("axe-1.a3@2026-03-31"), "{with}");
    // Only tasks without occurrence shown: the title gets the room.
    update(&mut s, key(KeyCode::Char('o')));
    let without = render(&s, 80, 24);
    assert!(
        without.contains("│ID       Échéance"),
        "the id column is 8 wide: {without}"
    );
    assert!(without.contains("Désigner les points focaux"), "{without}");
}

/// The detail pane's history tells a note by its text and a cancellation by its reason; the
/// « Notes » list holds notes only.
#[test]
fn the_detail_pane_tells_notes_and_cancellation_reasons() {
    use cnrm_engine::records::{HistoryEntry, SpendingEntry, TaskDetail};
    let mut s = loaded(Lang::Fr);
    update(&mut s, key(KeyCode::Char('2')));
    update(&mut s, key(KeyCode::Enter));
    let row = s.data.as_ref().expect("loaded").tasks[0].row.clone();
    let entry = |at: &str, kind: &str, data: &str, note: Option<&str>| HistoryEntry {
        at: at.into(),
        actor: "root".into(),
        event: Event::from_stored(kind, data),
        note: note.map(str::to_string),
        source: None,
    };
    let detail = TaskDetail {
        row,
        description: None,
        start: None,
        depends_on: vec![],
        resources: serde_json::json!([]),
        currency: "XOF".into(),
        budget_planned: 0.0,
        budget_secured: 0.0,
        budget_pledged: 0.0,
        budget_needed: 0.0,
        spent: 0.0,
        slips: vec![],
        history: vec![
            entry(
                "2026-03-14T09:00:00Z",
                "spending",
                r#"{"amount": 450000, "currency": "XOF", "amount_plan": 450000, "date": "2026-03-14", "entry": 1}"#,
                None,
            ),
            entry("2026-03-15T00:00:00Z", "note", "{}", Some("Lettre partie")),
            entry(
                "2026-03-16T10:00:00Z",
                "spending_cancelled",
                r#"{"amount": 450000, "currency": "XOF", "amount_plan": 450000, "date": "2026-03-14", "entry": 1}"#,
                Some("saisie en double"),
            ),
        ],
        archived_revision: None,
        spendings: vec![SpendingEntry {
            entry: 1,
            date: "2026-03-14".into(),
            amount: 450_000.0,
            currency: "XOF".into(),
            amount_plan: 450_000.0,
            note: None,
            actor: "root".into(),
            at: "2026-03-14T09:00:00Z".into(),
            cancelled: true,
        }],
        occurrences: vec![],
    };
    update(&mut s, Action::DetailLoaded(Box::new(detail)));
    let screen = render(&s, 160, 48);
    assert!(
        screen.contains("15/03/2026 00:00 — root — note\u{a0}: «\u{a0}Lettre partie\u{a0}»"),
        "{screen}"
    );
    assert!(
        screen.contains("motif\u{a0}: «\u{a0}saisie en double\u{a0}»"),
        "{screen}"
    );
    // Not among the notes: the reason is the cancellation's.
    assert!(!screen.contains("root « saisie en double »"), "{screen}");
    insta::assert_snapshot!("fr_160x48_tasks_detail_history", screen);
}
