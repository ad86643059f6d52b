-- cnrm store, version 1. Portable SQL: the same file serves SQLite and PostgreSQL.
-- Integers are BIGINT, decimals DOUBLE PRECISION, dates TEXT 'YYYY-MM-DD' (sortable), instants
-- TEXT RFC 3339 in UTC, lists and small structures TEXT holding JSON. Row ids are allocated by the
-- application from id_seq (UPDATE ... RETURNING), since the two databases spell auto-increment
-- differently.

CREATE TABLE id_seq (
    name TEXT PRIMARY KEY,
    next_id BIGINT NOT NULL
);
INSERT INTO id_seq (name, next_id) VALUES ('revision', 1), ('event', 1), ('spending', 1), ('indicator_value', 1), ('slip', 1), ('outbox', 1);

CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    timezone TEXT NOT NULL,
    currency TEXT NOT NULL,
    language TEXT NOT NULL,
    secretariat TEXT,
    exchange_rates TEXT NOT NULL,
    source TEXT NOT NULL,
    source_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    revision BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE revisions (
    id BIGINT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    number BIGINT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    message TEXT,
    changes TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

CREATE TABLE owners (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    short TEXT,
    emails TEXT NOT NULL,
    language TEXT,
    parent TEXT,
    def_hash TEXT NOT NULL,
    archived BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, id)
);

CREATE TABLE priorities (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    lead TEXT,
    aligned_with TEXT NOT NULL,
    position BIGINT NOT NULL,
    def_hash TEXT NOT NULL,
    archived BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, id)
);

CREATE TABLE indicators (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    id TEXT NOT NULL,
    priority_id TEXT NOT NULL,
    title TEXT NOT NULL,
    unit TEXT,
    baseline DOUBLE PRECISION,
    target DOUBLE PRECISION,
    due TEXT,
    due_label TEXT,
    position BIGINT NOT NULL,
    def_hash TEXT NOT NULL,
    archived BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, id)
);

-- One row per task, or per occurrence of a recurring task (`<id>@<YYYY-MM-DD>`).
-- Columns up to def_hash come from the plan file; status and progress are execution state.
CREATE TABLE tasks (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    id TEXT NOT NULL,
    base_id TEXT NOT NULL,
    priority_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    -- JSON arrays of owner ids: `owners LIKE '%"dgme"%'` finds a whole id (ids have no quotes).
    owners TEXT NOT NULL,
    partners TEXT NOT NULL,
    start_date TEXT,
    deadline TEXT,
    deadline_label TEXT NOT NULL,
    repeat_every TEXT,
    milestone BIGINT NOT NULL,
    depends_on TEXT NOT NULL,
    reminders TEXT,
    resources TEXT NOT NULL,
    budget_planned DOUBLE PRECISION NOT NULL,
    budget_secured DOUBLE PRECISION NOT NULL,
    budget_pledged DOUBLE PRECISION NOT NULL,
    budget_needed DOUBLE PRECISION NOT NULL,
    search_text TEXT NOT NULL,
    position BIGINT NOT NULL,
    def_hash TEXT NOT NULL,
    archived BIGINT NOT NULL DEFAULT 0,
    created_revision BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'todo',
    progress BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT,
    PRIMARY KEY (plan_id, id)
);
CREATE INDEX tasks_overdue ON tasks (plan_id, archived, status, deadline);

-- Every deadline move of a task, per revision: "how often and how far has it slipped".
CREATE TABLE deadline_slips (
    id BIGINT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    old_deadline TEXT,
    new_deadline TEXT,
    old_label TEXT NOT NULL,
    new_label TEXT NOT NULL,
    days BIGINT
);
CREATE INDEX deadline_slips_task ON deadline_slips (plan_id, task_id);

-- Append-only history: status and progress changes, notes, spending, indicator values, revisions.
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    task_id TEXT,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    note TEXT
);
CREATE INDEX events_task ON events (plan_id, task_id);

CREATE TABLE spendings (
    id BIGINT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    spent_on TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL,
    currency TEXT NOT NULL,
    amount_plan DOUBLE PRECISION NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX spendings_task ON spendings (plan_id, task_id);

CREATE TABLE indicator_values (
    id BIGINT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    measured_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX indicator_values_indicator ON indicator_values (plan_id, indicator_id);
