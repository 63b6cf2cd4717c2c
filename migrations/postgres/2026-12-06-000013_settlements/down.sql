DROP TABLE settlements;
ALTER TABLE orders DROP COLUMN quality_terms_json;
ALTER TABLE contracts DROP COLUMN provisional_payment_milli_pct;
ALTER TABLE contracts DROP COLUMN quality_terms_json;
