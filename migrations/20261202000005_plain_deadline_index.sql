-- Every index is defined here, the same for SQLite and PostgreSQL. Earlier versions of cnrm
-- replaced `tasks_deadline` on SQLite, at open, by an index on an expression (`concat_ws`) that
-- SQLite tools older than 3.44 cannot read; it goes back to the columns of migration 3.
DROP INDEX IF EXISTS tasks_deadline;
CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status);
