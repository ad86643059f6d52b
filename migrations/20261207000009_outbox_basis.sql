-- What a reminder or an escalation was built from (JSON: its owners, and each task with its
-- deadline when queued, occurrence and escalation role), so that sending can check that it is
-- still true: a message whose tasks were all closed, or whose deadlines moved, since it was
-- queued is `superseded` instead of sent; one that still concerns some of them is rebuilt.
ALTER TABLE outbox ADD COLUMN basis TEXT;
