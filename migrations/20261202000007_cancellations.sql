-- Corrections: `cnrm task spend --cancel` and `cnrm indicator record --cancel` keep the entry and
-- mark it cancelled (with a compensating event in `events`); every total and latest value skips
-- cancelled entries. The same SQL on SQLite and PostgreSQL.
ALTER TABLE spendings ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE indicator_values ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0;
