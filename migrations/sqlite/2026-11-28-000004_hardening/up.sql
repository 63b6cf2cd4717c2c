-- Failed logins are counted per (username, client address), so guesses from one address never
-- lock the user out from another; rows expire and are purged.
DROP TABLE login_throttle;
CREATE TABLE login_attempts (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (username, client)
);
CREATE INDEX login_attempts_updated ON login_attempts (updated_at);

-- A password change or a deactivation ends the tokens issued before it.
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;

-- Idempotency keys expire after 24 hours and are purged.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
