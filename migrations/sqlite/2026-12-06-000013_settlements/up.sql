-- Quality terms (assay minimums, steps and deductions) of contracts and spot orders, and the
-- share of a shipment's provisional value due at shipment (thousandths of a percent).
ALTER TABLE contracts ADD COLUMN quality_terms_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contracts ADD COLUMN provisional_payment_milli_pct BIGINT NOT NULL DEFAULT 100000;
ALTER TABLE orders ADD COLUMN quality_terms_json TEXT NOT NULL DEFAULT '[]';

-- What each shipped shipment is worth: the provisional valuation fixed on the day it shipped,
-- and the final one frozen when it is finalised. Valuations are JSON of exact decimal strings.
CREATE TABLE settlements (
    shipment_id TEXT PRIMARY KEY REFERENCES shipments (id),
    customer_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    contract_id TEXT,
    order_id TEXT,
    period TEXT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    shipped_on DATE NOT NULL,
    payment_milli_pct BIGINT NOT NULL,
    provisional_json TEXT NOT NULL,
    final_json TEXT,
    book_currency TEXT NOT NULL,
    finalised_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX settlements_status_period ON settlements (status, period);
CREATE INDEX settlements_customer ON settlements (customer_id, period);
