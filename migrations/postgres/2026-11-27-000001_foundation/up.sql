-- Foundation schema. Conventions shared with the SQLite migrations:
--   ids are UUID strings (TEXT), instants are UTC TIMESTAMP (microseconds),
--   quantities are BIGINT grams, prices BIGINT 1/10000 currency units,
--   percentages BIGINT 1/1000 percent: exact, and SQL sums are exact on both backends.

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('events', 0);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    external_ref TEXT UNIQUE,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX customers_page ON customers (created_at, id);
CREATE INDEX customers_updated ON customers (updated_at);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    form TEXT NOT NULL,
    min_purity_milli_pct BIGINT,
    hs_code TEXT,
    export_controlled BOOLEAN NOT NULL,
    external_ref TEXT UNIQUE,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX products_page ON products (created_at, id);
CREATE INDEX products_updated ON products (updated_at);

CREATE TABLE price_indices (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    source TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX price_indices_page ON price_indices (created_at, id);
CREATE INDEX price_indices_updated ON price_indices (updated_at);

CREATE TABLE price_quotes (
    index_id TEXT NOT NULL REFERENCES price_indices (id),
    quote_date DATE NOT NULL,
    price_e4 BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (index_id, quote_date)
);

CREATE TABLE audit_entries (
    seq BIGSERIAL PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX audit_entity ON audit_entries (entity_type, entity_id);

CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    data_json TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER,
    response_headers TEXT,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, idem_key)
);
