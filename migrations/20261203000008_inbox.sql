-- Members' replies by e-mail (issue 21). The same SQL on SQLite and PostgreSQL.
--
-- inbox: every message received by `cnrm mail receive` / `cnrm mail fetch`, whatever became of
-- it. `message_id` is unique: the second delivery of a message (a mail server retrying, two
-- fetchers on one mailbox) fails on it inside the transaction that would apply it, so nothing is
-- ever applied twice. `changes` and `not_understood` are JSON arrays; `reason` a stable code;
-- `flagged` marks a postponement request the secretariat has not yet seen in a digest.
CREATE TABLE inbox (
    id BIGINT PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    date_header TEXT,
    sender TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    plan_id TEXT,
    matched_outbox BIGINT,
    matched_message_id TEXT,
    in_reply_to TEXT,
    changes TEXT NOT NULL,
    not_understood TEXT NOT NULL,
    body TEXT NOT NULL,
    answer_outbox BIGINT,
    flagged BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inbox_status ON inbox (status, id);
INSERT INTO id_seq (name, next_id) VALUES ('inbox', 1);

-- Where an event came from: NULL for the command line and the terminal UI, 'e-mail' for a reply.
ALTER TABLE events ADD COLUMN source TEXT;

-- Outgoing messages: the token of their Message-ID (found again from a reply's address) and, for
-- an answer to a member, the member's Message-ID it is threaded under.
ALTER TABLE outbox ADD COLUMN token TEXT;
ALTER TABLE outbox ADD COLUMN in_reply_to TEXT;
CREATE INDEX outbox_token ON outbox (token);
CREATE INDEX outbox_message_id ON outbox (message_id);
