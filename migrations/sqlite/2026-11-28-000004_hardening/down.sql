DROP INDEX idempotency_keys_created;
ALTER TABLE users DROP COLUMN token_version;
DROP TABLE login_attempts;
CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
