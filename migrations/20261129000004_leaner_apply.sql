-- Less to write on every apply.
-- The applied file is identified by its SHA-256 (plans.sha256, revisions.sha256); a copy of its
-- whole text was written on every apply (26 MB at 100,000 tasks) and never read.
ALTER TABLE plans DROP COLUMN source;
-- An owner's tasks are found by scanning the plan's rows as fast as through this index (at
-- 100,000 tasks, 65-75 ms either way for an owner of 7 % of them), which cost a first apply of
-- that size 0.2 s to build.
DROP INDEX IF EXISTS tasks_owners;
