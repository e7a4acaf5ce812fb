-- Catalog schema, version 1: the history of agent runs.
-- Portable SQL (SQLite and PostgreSQL); timestamps are epoch milliseconds.
CREATE TABLE agent_runs (
  id          INTEGER PRIMARY KEY,
  started_at  BIGINT  NOT NULL,
  stopped_at  BIGINT,
  version     VARCHAR(64) NOT NULL,
  pid         BIGINT  NOT NULL,
  node        VARCHAR(255) NOT NULL
);
