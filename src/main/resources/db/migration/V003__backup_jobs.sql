-- Catalog schema, version 3: backup job reports (guide ch. 9.6) and the scheduler's memory.
-- Portable SQL (SQLite and PostgreSQL); timestamps are epoch milliseconds.
-- backup_jobs: one row per backup set run and destination (a run to two destinations is two rows
--   sharing run_id). id is the report's number; job_id the repository's job id (null when no job
--   was written, e.g. Missed or Failed before start).
--   status: Completed | Completed with warning(s) | Interrupted | Interrupted with error(s) |
--           Failed | In progress | Backup not yet finished | Missed
--   trigger_type: manual | schedule; schedule_name: the schedule that fired, if any.
--   stats: JSON {filesNew, filesChanged, filesUnchanged, filesDeleted, bytesRead, bytesNew, bytesStored,
--          blocks, warnings, errors}.
-- No foreign key to backup_sets: reports outlive a deleted set.
CREATE TABLE backup_jobs (
  id            INTEGER PRIMARY KEY,
  run_id        VARCHAR(64) NOT NULL,
  job_id        VARCHAR(64),
  set_id        BIGINT NOT NULL,
  destination   VARCHAR(255) NOT NULL,
  status        VARCHAR(40) NOT NULL,
  trigger_type  VARCHAR(16) NOT NULL,
  schedule_name VARCHAR(255),
  started_at    BIGINT NOT NULL,
  ended_at      BIGINT,
  stats         TEXT NOT NULL
);
CREATE INDEX backup_jobs_set ON backup_jobs (set_id, id);
CREATE INDEX backup_jobs_status ON backup_jobs (status, id);
CREATE INDEX backup_jobs_started ON backup_jobs (started_at);
-- job_log: a report's log lines in order; level: info | warning | error.
CREATE TABLE job_log (
  job_pk   BIGINT NOT NULL REFERENCES backup_jobs (id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  time     BIGINT NOT NULL,
  level    VARCHAR(8) NOT NULL,
  message  TEXT NOT NULL,
  PRIMARY KEY (job_pk, seq)
);
-- schedule_state: up to when the scheduler has evaluated a set's schedules (a restart does not replay).
CREATE TABLE schedule_state (
  set_id          BIGINT PRIMARY KEY,
  last_evaluated  BIGINT NOT NULL
);
