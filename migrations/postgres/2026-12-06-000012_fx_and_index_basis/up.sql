-- Daily FX fixings: one rate per pair and date (quote currency per unit of base, in
-- millionths), where it came from, and when it last changed.
CREATE TABLE fx_rates (
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    rate_date DATE NOT NULL,
    rate_e6 BIGINT NOT NULL,
    source TEXT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (base, quote, rate_date)
);

-- The basis of an index's quotes: per kg or per tonne, and the VAT they include (in
-- thousandths of a percent). Indices recorded before quoted per kg without VAT.
ALTER TABLE price_indices ADD COLUMN unit TEXT NOT NULL DEFAULT 'kg';
ALTER TABLE price_indices ADD COLUMN vat_milli_pct BIGINT NOT NULL DEFAULT 0;
