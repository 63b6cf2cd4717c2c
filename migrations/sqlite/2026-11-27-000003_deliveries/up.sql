-- Shipments and export licences. Quantities in BIGINT grams.

INSERT INTO counters (name, value) VALUES ('shipments', 0);

CREATE TABLE export_licences (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    product_id TEXT NOT NULL REFERENCES products (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    quantity_g BIGINT NOT NULL,
    shipped_g BIGINT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX export_licences_page ON export_licences (created_at, id);

CREATE TABLE shipments (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    order_id TEXT REFERENCES orders (id),
    contract_id TEXT REFERENCES contracts (id),
    period TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    quantity_g BIGINT NOT NULL,
    lots_json TEXT NOT NULL,
    planned_ship_date DATE NOT NULL,
    shipped_on DATE,
    delivered_on DATE,
    vessel TEXT,
    voyage TEXT,
    bl_number TEXT,
    containers_json TEXT,
    export_licence_id TEXT REFERENCES export_licences (id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX shipments_page ON shipments (created_at, id);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_contract ON shipments (contract_id, period);
