//! The terminal UI's state, and `update`: an action in, the new state and the effects to run out.
//!
//! No I/O here: keys become actions (`action_for`), `update` changes the state and asks for
//! effects (load, record a change, retry the outbox), which the worker thread runs against the
//! store; their results come back as actions. Views only read this state.

use cnrm_engine::figures;
use cnrm_engine::records::{Event, PlanInfo, Snapshot, TaskDetail};
use cnrm_engine::text::{fold, terminal_line};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    Tasks,
    Owners,
    Timeline,
    Money,
    Indicators,
    Outbox,
    History,
    /// Members' replies by e-mail (`ui/inbox.rs`, `view/inbox.rs`).
    Inbox,
}

impl Screen {
    pub const ALL: [Screen; 9] = [
        Screen::Dashboard,
        Screen::Tasks,
        Screen::Owners,
        Screen::Timeline,
        Screen::Money,
        Screen::Indicators,
        Screen::Outbox,
        Screen::History,
        Screen::Inbox,
    ];

    pub fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Columns of the task table, in order; sorting uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Id,
    Deadline,
    Status,
    Progress,
    Owners,
    Title,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Id,
        Column::Deadline,
        Column::Status,
        Column::Progress,
        Column::Owners,
        Column::Title,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Status,
    Progress,
    Note,
    Spend,
    Indicator,
    /// Cancel one spending entry of a task (a compensating event, as `task spend --cancel`).
    CancelSpending,
    /// Cancel one recorded value of an indicator (as `indicator record --cancel`).
    CancelIndicator,
}

/// A small modal form about one task or indicator: its fields (`text::form_fields` names
/// them; Tab and Shift+Tab move between them); the status form's first field is a choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub target: String,
    pub inputs: Vec<String>,
    /// The field being typed in.
    pub field: usize,
    pub choice: usize,
    pub error: Option<FormError>,
}

impl Form {
    pub fn new(kind: FormKind, target: String, choice: usize) -> Form {
        // The status form's first field is the choice of status (its input stays empty), then
        // a note and the day of the change.
        let fields = match kind {
            FormKind::Progress | FormKind::Note => 1,
            FormKind::Status => 3,
            FormKind::CancelSpending | FormKind::CancelIndicator => 2,
            FormKind::Indicator => 3,
            FormKind::Spend => 4,
        };
        Form {
            kind,
            target,
            inputs: vec![String::new(); fields],
            field: 0,
            choice,
            error: None,
        }
    }
}

/// An indicator's recorded values (none until the worker has read them), the one under the
/// cursor: `c` cancels it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValues {
    pub id: String,
    pub values: Option<Vec<cnrm_engine::records::IndicatorValue>>,
    pub selected: usize,
}

impl IndicatorValues {
    /// The value under the cursor.
    pub fn current(&self) -> Option<&cnrm_engine::records::IndicatorValue> {
        self.values.as_ref()?.get(self.selected)
    }
}

/// Why a form refused its input (the sentence is `text::form_error`'s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    Progress,
    EmptyNote,
    Amount,
    Value,
    /// An entry number: a whole number from 1.
    Entry,
    /// A value the command line's parser refuses, with its sentence.
    Bad(crate::context::BadValue),
}

/// What a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// The plan the screens show (several plans in the database).
    Plan,
    /// Statuses of the task screen's filter (several at once).
    Status,
    /// The priority of the task screen's filter.
    Priority,
    /// The owner of the task screen's filter (only owners that lead tasks).
    Owner,
}

/// A list to choose from: typing narrows it (accents ignored), ↑↓ move, Entrée chooses;
/// the status picker ticks several with Espace.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub kind: PickerKind,
    /// (value, label) of every item, in order.
    pub items: Vec<(String, String)>,
    pub query: String,
    /// Position in `shown()`.
    pub selected: usize,
    /// Values ticked (the status picker).
    pub ticked: Vec<String>,
}

impl Picker {
    /// Indices into `items` of the items the query matches.
    pub fn shown(&self) -> Vec<usize> {
        let needle = fold(self.query.trim());
        (0..self.items.len())
            .filter(|i| {
                let (v, l) = &self.items[*i];
                needle.is_empty() || fold(&format!("{v} {l}")).contains(&needle)
            })
            .collect()
    }

    fn current(&self) -> Option<&str> {
        let shown = self.shown();
        shown
            .get(self.selected)
            .and_then(|i| self.items.get(*i))
            .map(|(v, _)| v.as_str())
    }
}

/// What the worker must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// List the plans of the database (the picker, the empty-database screen).
    Plans,
    /// Show this plan from now on (the picker's choice).
    UsePlan(String),
    /// Read the dashboard's figures by SQL aggregates (fast), before the first `Load`.
    Preview,
    /// Reload the snapshot if anything changed (or always when `force`).
    Load {
        force: bool,
    },
    Detail(String),
    SetStatus {
        task: String,
        status: Status,
        note: Option<String>,
        /// The day the change happened (none: today).
        date: Option<chrono::NaiveDate>,
    },
    SetProgress {
        task: String,
        progress: i64,
    },
    Note {
        task: String,
        note: String,
    },
    Spend {
        task: String,
        amount: f64,
        date: Option<chrono::NaiveDate>,
        currency: Option<String>,
        note: Option<String>,
    },
    RecordIndicator {
        id: String,
        value: f64,
        date: Option<chrono::NaiveDate>,
        note: Option<String>,
    },
    CancelSpending {
        task: String,
        entry: i64,
        note: Option<String>,
    },
    CancelIndicator {
        id: String,
        entry: i64,
        note: Option<String>,
    },
    RetryOutbox(Option<i64>),
    /// Read the inbox (the inbox screen is shown).
    LoadInbox,
    /// Read one message's text (the outbox's Entrée).
    OutboxText(i64),
    /// Read an indicator's recorded values, numbered (the indicators' Entrée).
    IndicatorValues(String),
    Quit,
}

/// Everything that can happen to the UI.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    /// The dashboard's figures, before the whole plan (see `figures::Overview`).
    Previewed(Box<figures::Overview>),
    Loaded(Box<Snapshot>),
    /// The plans of the database.
    Plans(Vec<PlanInfo>),
    DetailLoaded(Box<TaskDetail>),
    /// A message's text, for the outbox's pop-up.
    OutboxText(i64, String),
    /// An indicator's recorded values, numbered as `indicator show` lists them.
    IndicatorValues(String, Vec<cnrm_engine::records::IndicatorValue>),
    /// A change was recorded (message for the status line), or failed (error).
    Done(Result<String, String>),
    /// Periodic: look for changes made by other processes.
    Tick,
    /// The terminal's size (columns, lines): at start and on each change.
    Resize(u16, u16),
    InboxLoaded(Vec<cnrm_engine::store::InboxRow>),
}

/// One line of the timeline screen.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineRow {
    /// `YYYY-MM`, how many deadlines and how many overdue.
    Month(String, usize, usize),
    /// A task, by its index in the snapshot.
    Task(usize),
}

/// The timeline's lines, month by month, each month's tasks by deadline, and the line of the
/// earliest open deadline.
fn timeline_rows(
    data: &Snapshot,
    months: &std::collections::BTreeMap<String, Vec<usize>>,
) -> (Vec<TimelineRow>, usize) {
    let mut rows = Vec::new();
    let mut start = None;
    for (month, items) in months {
        let mut items = items.clone();
        items.sort_by(|a, b| {
            data.tasks[*a]
                .row
                .deadline
                .cmp(&data.tasks[*b].row.deadline)
        });
        let late = items.iter().filter(|i| data.tasks[**i].row.overdue).count();
        let header = rows.len();
        rows.push(TimelineRow::Month(month.clone(), items.len(), late));
        for i in items {
            if start.is_none() && data.tasks[i].row.status.is_active() {
                start = Some(header);
            }
            rows.push(TimelineRow::Task(i));
        }
    }
    (rows, start.unwrap_or(0))
}

/// Filters of the task screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub overdue: bool,
    /// Several statuses at once (none: every status).
    pub status: Vec<Status>,
    pub priority: Option<String>,
    pub owner: Option<String>,
    pub search: String,
}

/// The figures of the dashboard, owners, money and timeline screens, computed once per load
/// (not per frame: a plan may have 100,000 tasks).
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub dashboard: figures::Dashboard,
    pub owners: Vec<figures::OwnerFigures>,
    pub funders: Vec<figures::FunderFigures>,
    pub timeline: std::collections::BTreeMap<String, Vec<usize>>,
    /// The timeline's lines: a month, then its tasks by deadline.
    pub timeline_rows: Vec<TimelineRow>,
    /// The line of the earliest open deadline (overdue first): where the timeline starts.
    pub timeline_start: usize,
    /// The longest task id, in characters: the id column is that wide (ids are never cut).
    pub id_width: u16,
}

pub struct State {
    pub lang: Lang,
    pub figures: Figures,
    pub screen: Screen,
    pub data: Option<Snapshot>,
    /// Folded `id title owners` of each task, for accent-insensitive search.
    pub search_keys: Vec<String>,
    /// Indices into `data.tasks` shown on the task screen, in order.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub sort: Column,
    pub descending: bool,
    pub filters: Filters,
    pub searching: bool,
    pub detail_open: bool,
    pub detail: Option<TaskDetail>,
    pub indicator_selected: usize,
    pub outbox_selected: usize,
    pub inbox: super::inbox::Inbox,
    /// The outbox message shown whole (Entrée), with its text once read.
    pub outbox_open: Option<(i64, Option<String>)>,
    /// The first line of the open message shown (↑↓ PgUp PgDn scroll it).
    pub outbox_scroll: usize,
    /// An indicator's numbered values, shown over the indicators screen (Entrée).
    pub indicator_values: Option<IndicatorValues>,
    pub owner_selected: usize,
    /// The first event shown on the history screen.
    pub history_offset: usize,
    /// The first line of the timeline shown.
    pub timeline_offset: usize,
    /// The user scrolled the timeline: a refresh keeps the place.
    pub timeline_scrolled: bool,
    pub form: Option<Form>,
    pub picker: Option<Picker>,
    /// The plans in the database, once listed.
    pub plans: Option<Vec<PlanInfo>>,
    /// The plan shown: `--plan`, the picker's choice, or the only one.
    pub plan: Option<String>,
    pub help: bool,
    /// The first line of the help shown (it scrolls when it is longer than the screen).
    pub help_scroll: usize,
    /// The terminal's size (columns, lines), for what scrolls to know where it ends.
    pub size: (u16, u16),
    pub status_line: Option<(bool, String)>,
    pub loading: bool,
    /// `data` is an overview (the dashboard only) while the whole plan loads.
    pub partial: bool,
    pub quit: bool,
    /// The timeline's chronogramme view, while it is shown (key `c`).
    pub chronogram: Option<super::view::chronogram::Chrono>,
}

impl State {
    pub fn new(lang: Lang) -> State {
        State {
            lang,
            screen: Screen::Dashboard,
            figures: Figures::default(),
            data: None,
            search_keys: Vec::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            sort: Column::Deadline,
            descending: false,
            filters: Filters::default(),
            searching: false,
            detail_open: false,
            detail: None,
            indicator_selected: 0,
            outbox_selected: 0,
            inbox: super::inbox::Inbox::default(),
            outbox_open: None,
            outbox_scroll: 0,
            indicator_values: None,
            owner_selected: 0,
            history_offset: 0,
            timeline_offset: 0,
            timeline_scrolled: false,
            form: None,
            picker: None,
            plans: None,
            plan: None,
            help: false,
            help_scroll: 0,
            size: (80, 24),
            status_line: None,
            loading: true,
            partial: false,
            quit: false,
            chronogram: None,
        }
    }

    /// The task under the cursor on the task screen.
    pub fn selected_task(&self) -> Option<&cnrm_engine::figures::TaskMoney> {
        let data = self.data.as_ref()?;
        self.visible
            .get(self.selected)
            .and_then(|i| data.tasks.get(*i))
    }

    /// Recomputes the visible tasks from the filters and the sort.
    pub fn refilter(&mut self) {
        let Some(data) = &self.data else {
            self.visible.clear();
            return;
        };
        let needle = fold(self.filters.search.trim());
        let f = &self.filters;
        let mut rows: Vec<usize> = (0..data.tasks.len())
            .filter(|i| {
                let t = &data.tasks[*i].row;
                (!f.overdue || t.overdue)
                    && (f.status.is_empty() || f.status.contains(&t.status))
                    && f.priority.as_ref().is_none_or(|p| &t.priority == p)
                    && f.owner.as_ref().is_none_or(|o| t.owners.contains(o))
                    && (needle.is_empty()
                        || self
                            .search_keys
                            .get(*i)
                            .is_some_and(|k| k.contains(&needle)))
            })
            .collect();
        let tasks = &data.tasks;
        let key_deadline = |i: &usize| {
            tasks[*i]
                .row
                .deadline
                .clone()
                .unwrap_or_else(|| "9999".into())
        };
        match self.sort {
            Column::Id => rows.sort_by(|a, b| tasks[*a].row.id.cmp(&tasks[*b].row.id)),
            Column::Deadline => rows.sort_by_key(key_deadline),
            Column::Status => {
                rows.sort_by_key(|i| (tasks[*i].row.status.as_str(), key_deadline(i)))
            }
            Column::Progress => rows.sort_by_key(|i| tasks[*i].row.progress),
            Column::Owners => rows.sort_by(|a, b| tasks[*a].row.owners.cmp(&tasks[*b].row.owners)),
            Column::Title => rows.sort_by_cached_key(|i| fold(&tasks[*i].row.title)),
        }
        if self.descending {
            rows.reverse();
        }
        self.visible = rows;
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// After a character was added to the search: only the tasks shown can still match, and
    /// their order does not change (100,000 tasks stay instant to search).
    pub fn narrow(&mut self) {
        let needle = fold(self.filters.search.trim());
        if needle.is_empty() {
            return;
        }
        let keys = &self.search_keys;
        self.visible
            .retain(|i| keys.get(*i).is_some_and(|k| k.contains(&needle)));
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    fn set_data(&mut self, data: Snapshot) {
        let selected_id = self.selected_task().map(|t| t.row.id.clone());
        self.search_keys = data
            .tasks
            .iter()
            .map(|t| {
                fold(&format!(
                    "{} {} {}",
                    t.row.id,
                    t.row.title,
                    t.row.owners.join(" ")
                ))
            })
            .collect();
        let months = figures::timeline(&data);
        let (timeline_rows, timeline_start) = timeline_rows(&data, &months);
        self.figures = Figures {
            timeline_rows,
            timeline_start,
            dashboard: figures::dashboard(&data),
            owners: figures::owners(&data),
            funders: figures::funders(&data),
            timeline: months,
            id_width: data
                .tasks
                .iter()
                .map(|t| t.row.id.chars().count())
                .max()
                .unwrap_or(0)
                .min(60) as u16,
        };
        if let Some(c) = &mut self.chronogram {
            c.refresh(&data);
        }
        if self.plan.is_none() {
            self.plan = Some(data.plan_id.clone());
        }
        self.data = Some(data);
        if !self.timeline_scrolled {
            self.timeline_offset = self.figures.timeline_start;
        }
        self.owner_selected = self
            .owner_selected
            .min(self.figures.owners.len().saturating_sub(1));
        self.loading = false;
        self.partial = false;
        self.refilter();
        // Keep the cursor on the same task across refreshes.
        if let (Some(id), Some(d)) = (selected_id, &self.data) {
            if let Some(pos) = self.visible.iter().position(|i| d.tasks[*i].row.id == id) {
                self.selected = pos;
            }
        }
    }
}

/// The plans of the database arrived: none is the empty-database screen, one is shown, several
/// open the picker (unless `--plan` or a choice named one).
fn on_plans(state: &mut State, plans: Vec<PlanInfo>) -> Vec<Effect> {
    let only = match plans.as_slice() {
        [one] => Some(one.id.clone()),
        _ => None,
    };
    let many = plans.len() > 1;
    state.plans = Some(plans);
    if let Some(picker) = state.picker.as_mut().filter(|p| p.kind == PickerKind::Plan) {
        picker.items = plan_items(state.plans.as_deref().unwrap_or_default(), state.lang);
    }
    if state.plan.is_none() {
        if let Some(id) = only {
            return use_plan(state, id);
        }
        state.loading = false;
        if many && state.picker.is_none() {
            open_picker(state, PickerKind::Plan);
        }
        return vec![];
    }
    if state.data.is_none() && state.loading {
        let id = state.plan.clone().unwrap_or_default();
        return use_plan(state, id);
    }
    vec![]
}

/// Shows `id` from now on: the worker switches, the dashboard's figures come first.
fn use_plan(state: &mut State, id: String) -> Vec<Effect> {
    if state.data.as_ref().is_some_and(|d| d.plan_id != id) {
        state.data = None;
        state.detail = None;
        state.detail_open = false;
        state.filters = Filters::default();
        state.selected = 0;
        state.visible.clear();
        state.screen = Screen::Dashboard;
    }
    state.plan = Some(id.clone());
    state.loading = true;
    vec![
        Effect::UsePlan(id),
        Effect::Preview,
        Effect::Load { force: true },
    ]
}

fn plan_items(plans: &[PlanInfo], lang: Lang) -> Vec<(String, String)> {
    plans
        .iter()
        .map(|p| {
            let late = crate::strings::overdue_count(lang, p.overdue);
            (
                p.id.clone(),
                format!(
                    "{} · {} · {late}",
                    p.title,
                    crate::strings::task_count(lang, p.tasks)
                ),
            )
        })
        .collect()
}

/// Opens a picker on what there is to choose now.
fn open_picker(state: &mut State, kind: PickerKind) {
    let lang = state.lang;
    let all = || {
        (
            String::new(),
            crate::strings::every(lang, kind == PickerKind::Priority).to_string(),
        )
    };
    let items: Vec<(String, String)> = match (kind, &state.data) {
        (PickerKind::Plan, _) => plan_items(state.plans.as_deref().unwrap_or_default(), lang),
        (PickerKind::Status, _) => Status::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label(lang).to_string()))
            .collect(),
        (PickerKind::Priority, Some(d)) => std::iter::once(all())
            .chain(
                d.priorities
                    .iter()
                    .map(|p| (p.id.clone(), format!("{} — {}", p.id, p.title))),
            )
            .collect(),
        (PickerKind::Owner, Some(d)) => std::iter::once(all())
            .chain(
                d.owners
                    .iter()
                    .filter(|o| d.tasks.iter().any(|t| t.row.owners.contains(&o.id)))
                    .map(|o| {
                        let label = match &o.short {
                            Some(short) if *short != o.name => format!("{} ({short})", o.name),
                            _ => o.name.clone(),
                        };
                        (fold(&label), (o.id.clone(), label))
                    })
                    .collect::<std::collections::BTreeMap<_, _>>()
                    .into_values(),
            )
            .collect(),
        _ => return,
    };
    let current: Option<&str> = match kind {
        PickerKind::Plan => state.plan.as_deref(),
        PickerKind::Priority => state.filters.priority.as_deref(),
        PickerKind::Owner => state.filters.owner.as_deref(),
        PickerKind::Status => state.filters.status.first().map(|s| s.as_str()),
    };
    let selected = current
        .and_then(|c| items.iter().position(|(v, _)| v == c))
        .unwrap_or(0);
    state.picker = Some(Picker {
        kind,
        items,
        query: String::new(),
        selected,
        ticked: state
            .filters
            .status
            .iter()
            .map(|s| s.as_str().to_string())
            .filter(|_| kind == PickerKind::Status)
            .collect(),
    });
}

fn on_picker_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(picker) = state.picker.as_mut() else {
        return vec![];
    };
    let control = key.modifiers.contains(KeyModifiers::CONTROL);
    let len = picker.shown().len();
    match key.code {
        // The first choice of a plan cannot be put off: there is nothing else to show.
        KeyCode::Esc if picker.kind != PickerKind::Plan || state.data.is_some() => {
            state.picker = None;
        }
        KeyCode::Char('u') if control => {
            picker.query.clear();
            picker.selected = 0;
        }
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => {
            move_cursor(&mut picker.selected, len, key.code, 10);
        }
        KeyCode::Backspace => {
            picker.query.pop();
            picker.selected = 0;
        }
        KeyCode::Char(' ') if picker.kind == PickerKind::Status => {
            if let Some(v) = picker.current().map(str::to_string) {
                match picker.ticked.iter().position(|t| *t == v) {
                    Some(i) => {
                        picker.ticked.remove(i);
                    }
                    None => picker.ticked.push(v),
                }
            }
        }
        KeyCode::Char(c) if !control => {
            picker.query.push(c);
            picker.selected = 0;
        }
        KeyCode::Enter => {
            let current = picker.current().map(str::to_string);
            let kind = picker.kind;
            let mut ticked = picker.ticked.clone();
            if kind == PickerKind::Status && ticked.is_empty() {
                ticked.extend(current.clone());
            }
            let Some(value) = current.or((kind == PickerKind::Status).then(String::new)) else {
                return vec![];
            };
            state.picker = None;
            let some = |v: String| Some(v).filter(|v| !v.is_empty());
            match kind {
                PickerKind::Plan => return use_plan(state, value),
                PickerKind::Status => {
                    state.filters.status = Status::ALL
                        .into_iter()
                        .filter(|s| ticked.iter().any(|t| t == s.as_str()))
                        .collect();
                }
                PickerKind::Priority => state.filters.priority = some(value),
                PickerKind::Owner => state.filters.owner = some(value),
            }
            state.selected = 0;
            state.refilter();
        }
        _ => {}
    }
    vec![]
}

/// Maps a key to what it means on the current screen.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Previewed(o) => {
            // Only before the whole plan arrives: never replace complete data by a preview
            // (nor show a plan the user just switched away from).
            if state.data.is_none() && state.plan.as_ref().is_none_or(|p| *p == o.snapshot.plan_id)
            {
                state.figures.dashboard = o.dashboard;
                let mut snapshot = o.snapshot;
                readable_snapshot(&mut snapshot);
                state.data = Some(snapshot);
                state.partial = true;
            }
            vec![]
        }
        Action::Loaded(mut data) => {
            if state.plan.as_ref().is_some_and(|p| *p != data.plan_id) {
                return vec![];
            }
            readable_snapshot(&mut data);
            state.set_data(*data);
            // The detail pane follows the data (a change from the pane or the command line).
            match (state.detail_open, state.selected_task()) {
                (true, Some(t)) => vec![Effect::Detail(t.row.id.clone())],
                _ => vec![],
            }
        }
        Action::OutboxText(id, text) => {
            if let Some(open) = state.outbox_open.as_mut().filter(|o| o.0 == id) {
                open.1 = Some(terminal_text(&text));
            }
            vec![]
        }
        Action::IndicatorValues(id, mut values) => {
            if let Some(open) = state.indicator_values.as_mut().filter(|o| o.id == id) {
                for v in &mut values {
                    readable_opt(&mut v.note);
                    readable(&mut v.actor);
                }
                // The cursor on the newest value, or where it was.
                open.selected = if open.values.is_none() {
                    values.len().saturating_sub(1)
                } else {
                    open.selected.min(values.len().saturating_sub(1))
                };
                open.values = Some(values);
            }
            vec![]
        }
        Action::DetailLoaded(mut d) => {
            readable_detail(&mut d);
            state.detail = Some(*d);
            vec![]
        }
        Action::Done(Ok(msg)) => {
            state.status_line = Some((false, msg));
            let mut effects = vec![Effect::Load { force: true }];
            // The values shown follow a value recorded or cancelled.
            if let Some(open) = &state.indicator_values {
                effects.push(Effect::IndicatorValues(open.id.clone()));
            }
            effects
        }
        Action::Done(Err(e)) => {
            state.status_line = Some((true, e));
            vec![]
        }
        Action::Plans(plans) => on_plans(state, plans),
        // Until a plan is shown, look for one (a plan applied from the command line).
        Action::Tick if state.plan.is_none() => vec![Effect::Plans],
        Action::Tick if state.screen == Screen::Inbox => {
            vec![Effect::Load { force: false }, Effect::LoadInbox]
        }
        Action::Tick => vec![Effect::Load { force: false }],
        Action::InboxLoaded(rows) => {
            state.inbox.set_rows(rows);
            vec![]
        }
        Action::Resize(w, h) => {
            state.size = (w, h);
            vec![]
        }
        Action::Key(key) => on_key(state, key),
    }
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        state.quit = true;
        return vec![Effect::Quit];
    }
    if state.form.is_some() {
        return on_form_key(state, key);
    }
    if state.picker.is_some() {
        return on_picker_key(state, key);
    }
    if state.searching {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('u') {
            state.filters.search.clear();
            state.refilter();
            return vec![];
        }
        match key.code {
            KeyCode::Enter => state.searching = false,
            KeyCode::Esc => {
                state.searching = false;
                state.filters.search.clear();
                state.refilter();
            }
            KeyCode::Backspace => {
                state.filters.search.pop();
                state.refilter();
            }
            KeyCode::Char(c) => {
                state.filters.search.push(c);
                state.selected = 0;
                state.narrow();
            }
            _ => {}
        }
        return vec![];
    }
    if state.help {
        // ↑↓ PgUp PgDn scroll a help longer than the screen; any other key closes it.
        let n = super::view::help_max_scroll(state) + 1;
        if !move_cursor(&mut state.help_scroll, n, key.code, 10) {
            state.help = false;
        }
        return vec![];
    }
    if state.outbox_open.is_some() {
        // The message pop-up: ↑↓ PgUp PgDn scroll, Esc, q or Entrée close it (Ctrl+C above
        // still quits); other keys do nothing, so a stray key does not lose the place.
        let n = super::view::outbox_max_scroll(state) + 1;
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => state.outbox_open = None,
            code => {
                move_cursor(&mut state.outbox_scroll, n, code, 10);
            }
        }
        return vec![];
    }
    if key.code == KeyCode::Esc && state.screen == Screen::Tasks && state.detail_open {
        state.detail_open = false;
        return vec![];
    }
    match key.code {
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Char('?') => {
            state.help = true;
            state.help_scroll = 0;
        }
        KeyCode::Char('P') => {
            open_picker(state, PickerKind::Plan);
            return vec![Effect::Plans];
        }
        KeyCode::Tab => state.screen = Screen::ALL[(state.screen.index() + 1) % Screen::ALL.len()],
        KeyCode::BackTab => {
            let n = Screen::ALL.len();
            state.screen = Screen::ALL[(state.screen.index() + n - 1) % n]
        }
        KeyCode::Char(c @ '1'..='9') => state.screen = Screen::ALL[(c as usize) - ('1' as usize)],
        KeyCode::Char('r') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            return vec![Effect::Load { force: true }]
        }
        _ => return screen_key(state, key),
    }
    state.status_line = None;
    if state.screen == Screen::Inbox {
        return vec![Effect::LoadInbox];
    }
    vec![]
}

fn move_cursor(cursor: &mut usize, len: usize, code: KeyCode, page: usize) -> bool {
    let last = len.saturating_sub(1);
    let new = match code {
        KeyCode::Down | KeyCode::Char('j') => (*cursor + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => cursor.saturating_sub(1),
        KeyCode::PageDown => (*cursor + page).min(last),
        KeyCode::PageUp => cursor.saturating_sub(page),
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => last,
        _ => return false,
    };
    *cursor = new;
    true
}

fn screen_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match state.screen {
        Screen::Inbox => state.inbox.key(key),
        Screen::Tasks => task_key(state, key),
        Screen::Owners => {
            let n = state.figures.owners.len();
            if !move_cursor(&mut state.owner_selected, n, key.code, 10)
                && key.code == KeyCode::Enter
            {
                if let Some(o) = state.figures.owners.get(state.owner_selected) {
                    state.filters = Filters {
                        owner: Some(o.id.clone()),
                        ..Filters::default()
                    };
                    state.screen = Screen::Tasks;
                    state.selected = 0;
                    state.detail_open = false;
                    state.refilter();
                }
            }
            vec![]
        }
        Screen::History => {
            let n = state.data.as_ref().map_or(0, |d| d.history.len());
            move_cursor(&mut state.history_offset, n, key.code, 10);
            vec![]
        }
        Screen::Timeline => {
            match (key.code, &mut state.chronogram, &state.data) {
                (KeyCode::Char('c'), Some(_), _) => state.chronogram = None,
                (KeyCode::Char('c'), None, Some(d)) if !state.partial => {
                    state.chronogram = Some(super::view::chronogram::Chrono::new(d))
                }
                (code, Some(c), _) => {
                    c.key(code);
                }
                (code, None, _) => {
                    let n = state.figures.timeline_rows.len();
                    if move_cursor(&mut state.timeline_offset, n, code, 10) {
                        state.timeline_scrolled = true;
                    }
                }
            }
            vec![]
        }
        Screen::Indicators => indicator_key(state, key),
        Screen::Outbox => {
            let n = state.data.as_ref().map_or(0, |d| d.outbox.len());
            if !move_cursor(&mut state.outbox_selected, n, key.code, 10) {
                match key.code {
                    KeyCode::Char('r') => {
                        let id = state
                            .data
                            .as_ref()
                            .and_then(|d| d.outbox.get(state.outbox_selected))
                            .map(|o| o.id);
                        return vec![Effect::RetryOutbox(id)];
                    }
                    KeyCode::Char('R') => return vec![Effect::RetryOutbox(None)],
                    KeyCode::Enter => {
                        if let Some(o) = state
                            .data
                            .as_ref()
                            .and_then(|d| d.outbox.get(state.outbox_selected))
                        {
                            state.outbox_open = Some((o.id, None));
                            state.outbox_scroll = 0;
                            return vec![Effect::OutboxText(o.id)];
                        }
                    }
                    _ => {}
                }
            }
            vec![]
        }
        _ => vec![],
    }
}

/// The indicators screen: ↑↓ choose an indicator, `r` records a value, Entrée (or `c`) shows its
/// recorded values, numbered; there ↑↓ choose a value, `c` cancels it, `r` records another,
/// Esc or Entrée go back to the list.
fn indicator_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if let Some(open) = state.indicator_values.as_mut() {
        let n = open.values.as_ref().map_or(0, Vec::len);
        if move_cursor(&mut open.selected, n, key.code, 10) {
            return vec![];
        }
        match key.code {
            KeyCode::Esc | KeyCode::Enter => state.indicator_values = None,
            KeyCode::Char('c') => {
                if let Some(v) = open.current() {
                    let mut form = Form::new(FormKind::CancelIndicator, open.id.clone(), 0);
                    form.inputs[0] = v.entry.to_string();
                    // The number is chosen: the cursor goes to the reason.
                    form.field = 1;
                    state.form = Some(form);
                }
            }
            KeyCode::Char('r') => {
                state.form = Some(Form::new(FormKind::Indicator, open.id.clone(), 0));
            }
            _ => {}
        }
        return vec![];
    }
    let n = state.data.as_ref().map_or(0, |d| d.indicators.len());
    if move_cursor(&mut state.indicator_selected, n, key.code, 10) {
        return vec![];
    }
    let Some(id) = state
        .data
        .as_ref()
        .and_then(|d| d.indicators.get(state.indicator_selected))
        .map(|i| i.id.clone())
    else {
        return vec![];
    };
    match key.code {
        KeyCode::Char('r') => state.form = Some(Form::new(FormKind::Indicator, id, 0)),
        // `c` needs a value's number: the values are shown, numbered, to choose from.
        KeyCode::Enter | KeyCode::Char('c') => {
            state.indicator_values = Some(IndicatorValues {
                id: id.clone(),
                values: None,
                selected: 0,
            });
            return vec![Effect::IndicatorValues(id)];
        }
        _ => {}
    }
    vec![]
}

fn task_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let len = state.visible.len();
    if move_cursor(&mut state.selected, len, key.code, 10) {
        return match (state.detail_open, state.selected_task()) {
            (true, Some(t)) => vec![Effect::Detail(t.row.id.clone())],
            _ => vec![],
        };
    }
    let task = state.selected_task().map(|t| t.row.id.clone());
    let form = |kind: FormKind, choice: usize| task.clone().map(|t| Form::new(kind, t, choice));
    match key.code {
        KeyCode::Char('/') => {
            state.searching = true;
        }
        KeyCode::Char('o') => {
            state.filters.overdue = !state.filters.overdue;
            state.selected = 0;
            state.refilter();
        }
        KeyCode::Char('f') => open_picker(state, PickerKind::Status),
        KeyCode::Char('p') => open_picker(state, PickerKind::Priority),
        KeyCode::Char('w') => open_picker(state, PickerKind::Owner),
        KeyCode::Char('x') => {
            state.filters = Filters::default();
            state.refilter();
        }
        KeyCode::Char('s') => {
            let i = Column::ALL
                .iter()
                .position(|c| *c == state.sort)
                .unwrap_or(0);
            state.sort = Column::ALL[(i + 1) % Column::ALL.len()];
            state.refilter();
        }
        KeyCode::Char('S') => {
            state.descending = !state.descending;
            state.refilter();
        }
        KeyCode::Enter => {
            state.detail_open = !state.detail_open;
            if state.detail_open {
                if let Some(id) = task {
                    return vec![Effect::Detail(id)];
                }
            }
        }
        KeyCode::Char('t') => {
            let current = state
                .selected_task()
                .map(|t| t.row.status)
                .unwrap_or(Status::Todo);
            let choice = Status::ALL.iter().position(|s| *s == current).unwrap_or(0);
            state.form = form(FormKind::Status, choice);
        }
        KeyCode::Char('a') => state.form = form(FormKind::Progress, 0),
        KeyCode::Char('n') => state.form = form(FormKind::Note, 0),
        KeyCode::Char('d') => state.form = form(FormKind::Spend, 0),
        KeyCode::Char('c') => state.form = form(FormKind::CancelSpending, 0),
        _ => {}
    }
    vec![]
}

fn on_form_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else {
        return vec![];
    };
    match key.code {
        KeyCode::Esc => {
            state.form = None;
            vec![]
        }
        // The status form's first field is the choice of status.
        KeyCode::Left if form.kind == FormKind::Status && form.field == 0 => {
            form.choice = (form.choice + Status::ALL.len() - 1) % Status::ALL.len();
            vec![]
        }
        KeyCode::Right if form.kind == FormKind::Status && form.field == 0 => {
            form.choice = (form.choice + 1) % Status::ALL.len();
            vec![]
        }
        KeyCode::Tab | KeyCode::Down => {
            form.field = (form.field + 1) % form.inputs.len().max(1);
            vec![]
        }
        KeyCode::BackTab | KeyCode::Up => {
            let n = form.inputs.len().max(1);
            form.field = (form.field + n - 1) % n;
            vec![]
        }
        KeyCode::Backspace => {
            if let Some(input) = form.inputs.get_mut(form.field) {
                input.pop();
            }
            vec![]
        }
        KeyCode::Char(c) if form.kind != FormKind::Status || form.field > 0 => {
            if let Some(input) = form.inputs.get_mut(form.field) {
                input.push(c);
            }
            form.error = None;
            vec![]
        }
        KeyCode::Enter => match form_effect(form) {
            Ok(e) => {
                state.form = None;
                vec![e]
            }
            Err(why) => {
                form.error = Some(why);
                vec![]
            }
        },
        _ => vec![],
    }
}

/// What a filled form asks for, or why it cannot: the values read by the command line's own
/// parsers (`context::amount`, `measure`, `progress`, `day`), so that the UI and the CLI take
/// and refuse the same text.
fn form_effect(form: &Form) -> Result<Effect, FormError> {
    let field = |i: usize| form.inputs.get(i).map_or("", |s| s.trim());
    let optional = |i: usize| Some(field(i).to_string()).filter(|s| !s.is_empty());
    let day = |i: usize| {
        optional(i)
            .map(|d| crate::context::day(&d).map_err(FormError::Bad))
            .transpose()
    };
    let entry = |i: usize| {
        field(i)
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or(FormError::Entry)
    };
    let target = form.target.clone();
    Ok(match form.kind {
        FormKind::Status => Effect::SetStatus {
            task: target,
            status: Status::ALL[form.choice],
            note: optional(1),
            date: day(2)?,
        },
        FormKind::Progress => Effect::SetProgress {
            task: target,
            progress: crate::context::progress(field(0)).map_err(|_| FormError::Progress)?,
        },
        FormKind::Note => Effect::Note {
            task: target,
            note: optional(0).ok_or(FormError::EmptyNote)?,
        },
        FormKind::Spend => {
            // The command line's parser, and the store's rule: a spending is above 0.
            let amount = crate::context::amount(field(0)).map_err(|_| FormError::Amount)?;
            if amount <= 0.0 {
                return Err(FormError::Amount);
            }
            Effect::Spend {
                task: target,
                amount,
                date: day(1)?,
                currency: optional(2).map(|c| c.to_uppercase()),
                note: optional(3),
            }
        }
        FormKind::Indicator => Effect::RecordIndicator {
            id: target,
            value: crate::context::measure(field(0)).map_err(|_| FormError::Value)?,
            date: day(1)?,
            note: optional(2),
        },
        FormKind::CancelSpending => Effect::CancelSpending {
            task: target,
            entry: entry(0)?,
            note: optional(1),
        },
        FormKind::CancelIndicator => Effect::CancelIndicator {
            id: target,
            entry: entry(0)?,
            note: optional(1),
        },
    })
}

/// Makes a text the plan or a member wrote safe and visible on one screen line: line breaks as
/// `⏎`, other control characters (ESC included) as `�` (ratatui would drop them silently).
fn readable(s: &mut String) {
    if s.chars().any(char::is_control) {
        *s = terminal_line(s);
    }
}

fn readable_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        readable(s);
    }
}

/// A message's text made safe for the screen, line by line.
fn terminal_text(text: &str) -> String {
    text.lines()
        .map(terminal_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every free text of a snapshot (titles, names, notes, subjects, errors) made readable.
fn readable_snapshot(d: &mut Snapshot) {
    readable(&mut d.plan_title);
    for p in &mut d.priorities {
        readable(&mut p.title);
    }
    for o in &mut d.owners {
        readable(&mut o.name);
        readable_opt(&mut o.short);
    }
    for t in &mut d.tasks {
        readable(&mut t.row.title);
    }
    for i in &mut d.indicators {
        readable(&mut i.title);
        readable_opt(&mut i.unit);
    }
    for m in &mut d.outbox {
        readable(&mut m.subject);
        readable_opt(&mut m.last_error);
    }
    for h in &mut d.history {
        readable_event(&mut h.event);
        readable_opt(&mut h.note);
    }
}

/// The free texts an event carries (titles, deadlines as written, a message, a requested
/// date, an unknown kind) made readable.
fn readable_event(e: &mut Event) {
    match e {
        Event::DeadlineMoved(c) | Event::Retitled(c) => {
            readable(&mut c.from);
            readable(&mut c.to);
            readable_opt(&mut c.message);
        }
        Event::Note { postpone_request } => readable_opt(postpone_request),
        Event::Unknown { kind, .. } => readable(kind),
        _ => {}
    }
}

/// Every free text of a task's detail made readable.
fn readable_detail(d: &mut TaskDetail) {
    readable(&mut d.row.title);
    // A description keeps its lines: each is made readable on its own.
    if let Some(desc) = &mut d.description {
        *desc = desc
            .lines()
            .map(terminal_line)
            .collect::<Vec<_>>()
            .join("\n");
    }
    for h in &mut d.history {
        readable_event(&mut h.event);
        readable_opt(&mut h.note);
    }
    for s in &mut d.spendings {
        readable_opt(&mut s.note);
    }
}
