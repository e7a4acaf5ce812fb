-- Catalog schema, version 4: accounts, sessions, login throttling and set owners (docs/SECURITY.md).
-- Portable SQL (SQLite and PostgreSQL); timestamps are epoch milliseconds.
-- users: login_key is the login folded to one case (unique ignoring case, as set names).
--   password_hash: a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): parameters per hash.
--   profile: JSON {timeZone, language, contacts, folders, encryptionRecovery, lastLogin}.
--   security: JSON {twoFactor, authenticators: [{id, type, name, secret (sealed), phone, confirmed,
--     lastStep, createdAt, lastUsed}], recoveryCodes: [{hash, usedAt}]}: never a secret in clear.
--   version: bumped by every update; an update names the version it read (optimistic locking).
CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  login          VARCHAR(64) NOT NULL,
  login_key      VARCHAR(64) NOT NULL UNIQUE,
  display_name   VARCHAR(255) NOT NULL,
  role           VARCHAR(8) NOT NULL,
  password_hash  VARCHAR(255) NOT NULL,
  profile        TEXT NOT NULL,
  security       TEXT NOT NULL,
  version        INTEGER NOT NULL,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
-- sessions: token_hash is the SHA-256 (hex) of the session token; the token itself is never stored.
--   public_id names the session in listings (revoking one); kind: session | remembered.
--   client: JSON {ip, userAgent, device}.
CREATE TABLE sessions (
  token_hash  VARCHAR(64) PRIMARY KEY,
  public_id   VARCHAR(32) NOT NULL UNIQUE,
  user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind        VARCHAR(16) NOT NULL,
  csrf        VARCHAR(64),
  created_at  BIGINT NOT NULL,
  last_seen   BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  client      TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
-- auth_failures: one row per failed login or second factor, by key (login:<name>, ip:<address>,
--   device:<id>, 2fa:<user id>); rows older than an hour are removed.
CREATE TABLE auth_failures (
  key  VARCHAR(200) NOT NULL,
  at   BIGINT NOT NULL
);
CREATE INDEX auth_failures_key ON auth_failures (key, at);
-- the account that owns a backup set (null: the admins', e.g. sets created with the local token)
ALTER TABLE backup_sets ADD COLUMN owner_id BIGINT;
