-- Reminders: the plan's policy and calendar as applied, the outbox, and what was sent.

ALTER TABLE plans ADD COLUMN policy TEXT NOT NULL DEFAULT '{}';
ALTER TABLE plans ADD COLUMN calendar TEXT NOT NULL DEFAULT '{}';

-- Every message is written here before SMTP, then sent, then marked sent. `sending` rows carry
-- their claimant and claim time; a claim older than the lease is taken to be abandoned.
CREATE TABLE outbox (
    id BIGINT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,
    cc TEXT NOT NULL,
    tasks TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    ics TEXT NOT NULL,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_status ON outbox (status, next_attempt_at);

-- One row per reminder occurrence handled (sent, or superseded by a later one), so that each is
-- sent at most once, ever. The deadline is part of the identity: a moved deadline starts afresh.
CREATE TABLE reminder_log (
    plan_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    deadline TEXT NOT NULL,
    on_date TEXT NOT NULL,
    state TEXT NOT NULL,
    outbox_id BIGINT,
    at TEXT NOT NULL,
    PRIMARY KEY (plan_id, task_id, kind, deadline, on_date)
);

-- Weekly digests already queued, per owner and date.
CREATE TABLE digest_log (
    plan_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    on_date TEXT NOT NULL,
    outbox_id BIGINT,
    at TEXT NOT NULL,
    PRIMARY KEY (plan_id, owner_id, on_date)
);
