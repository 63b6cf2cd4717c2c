-- Version 12 (FX and index basis): USD/CNY fixings and a CNY-per-tonne index with VAT.
INSERT INTO fx_rates (base, quote, rate_date, rate_e6, source, updated_at) VALUES
 ('USD', 'CNY', '2026-10-01', 7120000, 'CFETS', '2026-10-01 09:15:00'),
 ('USD', 'CNY', '2026-10-02', 7135000, 'CFETS', '2026-10-02 09:15:00'),
 ('EUR', 'USD', '2026-10-01', 1085000, 'ECB', '2026-10-01 14:15:00');
INSERT INTO price_indices (id, code, name, currency, source, status, created_at, updated_at, version, unit, vat_milli_pct) VALUES
 ('d0000000-0000-4000-8000-000000000002', 'SEED-NDPR-CNY', 'NdPr oxide, China domestic', 'CNY', 'SMM', 'active', '2026-10-01 09:00:00', '2026-10-01 09:00:00', 1, 't', 13000);
INSERT INTO price_quotes (index_id, quote_date, price_e4, updated_at) VALUES
 ('d0000000-0000-4000-8000-000000000002', '2026-10-01', 5200000000, '2026-10-01 18:00:00');
