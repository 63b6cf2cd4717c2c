-- Version 10 (contract ended): a contract terminated early, in force until its last month.
INSERT INTO contracts (id, number, customer_id, product_id, start_period, end_period, tolerance_milli_pct, incoterm, incoterm_place, currency, payment_terms, pricing_json, addon_premium_e4, priority, status, external_ref, created_at, updated_at, version, ended_period) VALUES
 ('f0000000-0000-4000-8000-000000000003', 'LTC-2026-0003', 'c0000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001',
  '2026-07', '2027-06', 0, 'DAP', 'Hamburg', 'EUR', 'T/T 60 days', '{"type":"fixed","unit_price":"58.00"}', NULL, 3, 'terminated', NULL,
  '2026-06-01 10:00:00', '2026-09-30 10:00:00', 4, '2026-09');
INSERT INTO contract_lines (contract_id, period, quantity_g) VALUES
 ('f0000000-0000-4000-8000-000000000003', '2026-07', 3000000),
 ('f0000000-0000-4000-8000-000000000003', '2026-08', 3000000),
 ('f0000000-0000-4000-8000-000000000003', '2026-09', 3000000);
UPDATE counters SET value = 3 WHERE name = 'contracts';
