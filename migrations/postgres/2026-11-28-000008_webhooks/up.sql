-- Webhook subscriptions and their deliveries (Standard Webhooks 1.0).
--
-- A subscription walks the event feed in `seq` order from `cursor_seq`. A worker claims it by
-- setting `lease_until` (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so instances never claim the same
-- one), sends the head delivery, and releases it. A delivery that failed waits until
-- `retry_at`; the ones after it wait behind it, so each receiver sees events in order.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    event_types_json TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    disabled_reason TEXT,
    secret TEXT NOT NULL DEFAULT '',
    cursor_seq BIGINT NOT NULL,
    retry_at TIMESTAMP,
    lease_until TIMESTAMP,
    lease_token TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX webhook_subscriptions_page ON webhook_subscriptions (created_at, id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_seq BIGINT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (subscription_id, event_seq)
);
CREATE INDEX webhook_deliveries_page ON webhook_deliveries (subscription_id, created_at, id);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at TIMESTAMP NOT NULL,
    response_status INTEGER,
    duration_ms BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
