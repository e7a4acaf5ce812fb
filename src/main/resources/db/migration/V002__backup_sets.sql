-- Catalog schema, version 2: backup sets (guide ch. 9.5, 10).
-- Portable SQL (SQLite and PostgreSQL); timestamps are epoch milliseconds.
-- id: the set's id as the guide has it, a millisecond timestamp (unique, bumped by one on a clash).
-- name_key: the name folded to one case (Unicode, done by the agent), so names are unique
--   case-insensitively on both databases (SQLite's NOCASE folds ASCII only and is SQLite-only).
-- json: the set's settings as JSON (never the encryption key; that lives in keys/<id>.key).
CREATE TABLE backup_sets (
  id          INTEGER PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  name_key    VARCHAR(255) NOT NULL UNIQUE,
  json        TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
