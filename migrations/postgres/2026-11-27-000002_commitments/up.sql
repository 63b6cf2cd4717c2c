-- Commitments and the production side. Quantities in BIGINT grams, prices in 1/10000 units.

INSERT INTO counters (name, value) VALUES ('contracts', 0), ('orders', 0), ('plans', 0), ('plan_approvals', 0);

CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    start_period TEXT NOT NULL,
    end_period TEXT NOT NULL,
    tolerance_milli_pct BIGINT NOT NULL,
    incoterm TEXT NOT NULL,
    incoterm_place TEXT NOT NULL,
    currency TEXT NOT NULL,
    payment_terms TEXT NOT NULL,
    pricing_json TEXT NOT NULL,
    addon_premium_e4 BIGINT,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    external_ref TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX contracts_page ON contracts (created_at, id);
CREATE INDEX contracts_product ON contracts (product_id, status);
CREATE INDEX contracts_customer ON contracts (customer_id);

CREATE TABLE contract_lines (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    period TEXT NOT NULL,
    quantity_g BIGINT NOT NULL,
    PRIMARY KEY (contract_id, period)
);

CREATE TABLE contract_amendments (
    id TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    old_schedule_json TEXT NOT NULL,
    new_schedule_json TEXT NOT NULL,
    atp_override BOOLEAN NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX contract_amendments_contract ON contract_amendments (contract_id, at);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    order_type TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    contract_id TEXT REFERENCES contracts (id),
    period TEXT NOT NULL,
    quantity_g BIGINT NOT NULL,
    pricing_json TEXT NOT NULL,
    pricing_source TEXT NOT NULL,
    currency TEXT NOT NULL,
    incoterm TEXT NOT NULL,
    incoterm_place TEXT NOT NULL,
    status TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    external_ref TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX orders_page ON orders (created_at, id);
CREATE INDEX orders_product ON orders (product_id, period);
CREATE INDEX orders_contract ON orders (contract_id);

CREATE TABLE production_plans (
    id TEXT PRIMARY KEY,
    version_no BIGINT NOT NULL UNIQUE,
    note TEXT NOT NULL,
    status TEXT NOT NULL,
    approved_at TIMESTAMP,
    approved_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX production_plans_page ON production_plans (created_at, id);

CREATE TABLE production_plan_lines (
    plan_id TEXT NOT NULL REFERENCES production_plans (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    period TEXT NOT NULL,
    planned_g BIGINT NOT NULL,
    PRIMARY KEY (plan_id, product_id, period)
);
CREATE INDEX production_plan_lines_product ON production_plan_lines (product_id);

CREATE TABLE production_actuals (
    product_id TEXT NOT NULL REFERENCES products (id),
    period TEXT NOT NULL,
    actual_g BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (product_id, period)
);

CREATE TABLE stock_snapshots (
    product_id TEXT NOT NULL REFERENCES products (id),
    period TEXT NOT NULL,
    quantity_g BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (product_id, period)
);
