//! The terminal UI's state, and `update`: an action in, the new state and the effects to run out.
//!
//! No I/O here: keys become actions (`action_for`), `update` changes the state and asks for
//! effects (load, record a change, retry the outbox), which the worker thread runs against the
//! store; their results come back as actions. Views only read this state.

use crate::context::parse_number;
use cnrm_engine::figures;
use cnrm_engine::records::{Snapshot, TaskDetail};
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
}

/// A small modal form: one text input (or a choice of status) about one task or indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub target: String,
    pub input: String,
    pub choice: usize,
    pub error: Option<FormError>,
}

/// Why a form refused its input (the sentence is `text::form_error`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormError {
    Progress,
    EmptyNote,
    Amount,
    Value,
}

/// What the worker must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
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
    },
    RecordIndicator {
        id: String,
        value: f64,
    },
    RetryOutbox(Option<i64>),
    /// Read the inbox (the inbox screen is shown).
    LoadInbox,
    Quit,
}

/// Everything that can happen to the UI.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    /// The dashboard's figures, before the whole plan (see `figures::Overview`).
    Previewed(Box<figures::Overview>),
    Loaded(Box<Snapshot>),
    DetailLoaded(Box<TaskDetail>),
    /// A change was recorded (message for the status line), or failed (error).
    Done(Result<String, String>),
    /// Periodic: look for changes made by other processes.
    Tick,
    Resize,
    InboxLoaded(Vec<cnrm_engine::store::InboxRow>),
}

/// Filters of the task screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub overdue: bool,
    pub status: Option<Status>,
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
    pub form: Option<Form>,
    pub help: bool,
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
            form: None,
            help: false,
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
                    && f.status.is_none_or(|s| t.status == s)
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
        self.figures = Figures {
            dashboard: figures::dashboard(&data),
            owners: figures::owners(&data),
            funders: figures::funders(&data),
            timeline: figures::timeline(&data),
        };
        if let Some(c) = &mut self.chronogram {
            c.refresh(&data);
        }
        self.data = Some(data);
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

    fn cycle<T: Clone + PartialEq>(options: &[T], current: &Option<T>) -> Option<T> {
        match current {
            None => options.first().cloned(),
            Some(c) => options
                .iter()
                .position(|o| o == c)
                .and_then(|i| options.get(i + 1).cloned()),
        }
    }
}

/// Maps a key to what it means on the current screen.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Previewed(o) => {
            // Only before the whole plan arrives: never replace complete data by a preview.
            if state.data.is_none() {
                state.figures.dashboard = o.dashboard;
                let mut snapshot = o.snapshot;
                readable_snapshot(&mut snapshot);
                state.data = Some(snapshot);
                state.partial = true;
            }
            vec![]
        }
        Action::Loaded(mut data) => {
            readable_snapshot(&mut data);
            state.set_data(*data);
            vec![]
        }
        Action::DetailLoaded(mut d) => {
            readable_detail(&mut d);
            state.detail = Some(*d);
            vec![]
        }
        Action::Done(Ok(msg)) => {
            state.status_line = Some((false, msg));
            vec![Effect::Load { force: true }]
        }
        Action::Done(Err(e)) => {
            state.status_line = Some((true, e));
            vec![]
        }
        Action::Tick if state.screen == Screen::Inbox => {
            vec![Effect::Load { force: false }, Effect::LoadInbox]
        }
        Action::Tick => vec![Effect::Load { force: false }],
        Action::InboxLoaded(rows) => {
            state.inbox.set_rows(rows);
            vec![]
        }
        Action::Resize => vec![],
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
    if state.searching {
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
        state.help = false;
        return vec![];
    }
    match key.code {
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Char('?') => state.help = true,
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
        Screen::Timeline => {
            match (key.code, &mut state.chronogram, &state.data) {
                (KeyCode::Char('c'), Some(_), _) => state.chronogram = None,
                (KeyCode::Char('c'), None, Some(d)) if !state.partial => {
                    state.chronogram = Some(super::view::chronogram::Chrono::new(d))
                }
                (code, Some(c), _) => {
                    c.key(code);
                }
                _ => {}
            }
            vec![]
        }
        Screen::Indicators => {
            let n = state.data.as_ref().map_or(0, |d| d.indicators.len());
            if !move_cursor(&mut state.indicator_selected, n, key.code, 10)
                && key.code == KeyCode::Char('r')
            {
                if let Some(ind) = state
                    .data
                    .as_ref()
                    .and_then(|d| d.indicators.get(state.indicator_selected))
                {
                    state.form = Some(Form {
                        kind: FormKind::Indicator,
                        target: ind.id.clone(),
                        input: String::new(),
                        choice: 0,
                        error: None,
                    });
                }
            }
            vec![]
        }
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
                    _ => {}
                }
            }
            vec![]
        }
        _ => vec![],
    }
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
    let form = |kind: FormKind, choice: usize| {
        task.clone().map(|target| Form {
            kind,
            target,
            input: String::new(),
            choice,
            error: None,
        })
    };
    match key.code {
        KeyCode::Char('/') => {
            state.searching = true;
        }
        KeyCode::Char('o') => {
            state.filters.overdue = !state.filters.overdue;
            state.selected = 0;
            state.refilter();
        }
        KeyCode::Char('f') => {
            state.filters.status = State::cycle(&Status::ALL, &state.filters.status);
            state.selected = 0;
            state.refilter();
        }
        KeyCode::Char('p') => {
            let ids: Vec<String> = state
                .data
                .as_ref()
                .map(|d| d.priorities.iter().map(|p| p.id.clone()).collect())
                .unwrap_or_default();
            state.filters.priority = State::cycle(&ids, &state.filters.priority);
            state.selected = 0;
            state.refilter();
        }
        KeyCode::Char('w') => {
            let ids: Vec<String> = state
                .data
                .as_ref()
                .map(|d| d.owners.iter().map(|o| o.id.clone()).collect())
                .unwrap_or_default();
            state.filters.owner = State::cycle(&ids, &state.filters.owner);
            state.selected = 0;
            state.refilter();
        }
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
        KeyCode::Left if form.kind == FormKind::Status => {
            form.choice = (form.choice + Status::ALL.len() - 1) % Status::ALL.len();
            vec![]
        }
        KeyCode::Right | KeyCode::Tab if form.kind == FormKind::Status => {
            form.choice = (form.choice + 1) % Status::ALL.len();
            vec![]
        }
        KeyCode::Backspace => {
            form.input.pop();
            vec![]
        }
        KeyCode::Char(c) if form.kind != FormKind::Status => {
            form.input.push(c);
            form.error = None;
            vec![]
        }
        KeyCode::Enter => {
            let text = form.input.trim().to_string();
            let target = form.target.clone();
            let effect = match form.kind {
                FormKind::Status => Ok(Effect::SetStatus {
                    task: target,
                    status: Status::ALL[form.choice],
                }),
                FormKind::Progress => match text.parse::<i64>() {
                    Ok(p) if (0..=100).contains(&p) => Ok(Effect::SetProgress {
                        task: target,
                        progress: p,
                    }),
                    _ => Err(FormError::Progress),
                },
                FormKind::Note if !text.is_empty() => Ok(Effect::Note {
                    task: target,
                    note: text,
                }),
                FormKind::Note => Err(FormError::EmptyNote),
                FormKind::Spend => match parse_number(&text) {
                    Some(a) if a > 0.0 => Ok(Effect::Spend {
                        task: target,
                        amount: a,
                    }),
                    _ => Err(FormError::Amount),
                },
                FormKind::Indicator => match parse_number(&text) {
                    Some(v) => Ok(Effect::RecordIndicator {
                        id: target,
                        value: v,
                    }),
                    None => Err(FormError::Value),
                },
            };
            match effect {
                Ok(e) => {
                    state.form = None;
                    vec![e]
                }
                Err(why) => {
                    form.error = Some(why);
                    vec![]
                }
            }
        }
        _ => vec![],
    }
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
        readable(&mut h.summary);
        readable_opt(&mut h.note);
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
        readable_opt(&mut h.note);
    }
    for s in &mut d.spendings {
        readable_opt(&mut s.note);
    }
}
