-- Indexes that answer the secretariat's questions without reading whole task rows.
--
-- tasks_deadline: tasks in deadline order (then plan order), with their status. `--overdue`,
-- `--due-within` and the dashboard's next deadlines walk it in order, no sort; NULL (ongoing)
-- deadlines are outside every range.
-- tasks_figures: everything the dashboard sums per priority and status, so the terminal UI's
-- first frame reads this index instead of 100,000 task rows.
DROP INDEX IF EXISTS tasks_overdue;
CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status);
CREATE INDEX tasks_figures ON tasks (plan_id, archived, priority_id, status, deadline, progress, budget_planned, budget_secured, budget_pledged, budget_needed);
-- tasks_owners: `--owner` matches its quoted id in the JSON array of owners; scanning this index
-- and reading only the matching rows is four times faster than reading every row.
CREATE INDEX tasks_owners ON tasks (plan_id, archived, owners);
