ALTER TABLE price_indices DROP COLUMN vat_milli_pct;
ALTER TABLE price_indices DROP COLUMN unit;
DROP TABLE fx_rates;
