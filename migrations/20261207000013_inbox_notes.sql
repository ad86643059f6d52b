-- What cnrm changed in a received message to store it (characters no database takes, such as
-- NUL, replaced by U+FFFD), in the receiver's language; NULL when nothing was changed.
ALTER TABLE inbox ADD COLUMN notes TEXT;
