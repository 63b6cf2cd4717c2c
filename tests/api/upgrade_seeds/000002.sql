-- Version 2 (commitments): contracts with schedules and an amendment, orders of each kind and
-- state, plans (approved and draft), actual output and a stock snapshot.
INSERT INTO contracts (id, number, customer_id, product_id, start_period, end_period, tolerance_milli_pct, incoterm, incoterm_place, currency, payment_terms, pricing_json, addon_premium_e4, priority, status, external_ref, created_at, updated_at, version) VALUES
 ('f0000000-0000-4000-8000-000000000001', 'LTC-2026-0001', 'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001',
  '2026-10', '2027-03', 5000, 'CIF', 'Yokohama', 'USD', 'L/C at sight', '{"type":"fixed","unit_price":"62.50"}', 15000, 1, 'active', 'ERP-K-0001',
  '2026-09-02 10:00:00', '2026-09-03 10:00:00', 3),
 ('f0000000-0000-4000-8000-000000000002', 'LTC-2026-0002', 'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002',
  '2027-01', '2027-03', 10000, 'FOB', 'Shanghai', 'USD', 'T/T 30 days',
  '{"type":"index","index_id":"d0000000-0000-4000-8000-000000000001","qp_offset_months":-1,"multiplier":"0.98","premium":"1.20","floor":"55","ceiling":"80"}',
  NULL, 2, 'draft', NULL, '2026-09-04 10:00:00', '2026-09-04 10:00:00', 1);
INSERT INTO contract_lines (contract_id, period, quantity_g) VALUES
 ('f0000000-0000-4000-8000-000000000001', '2026-10', 10000000),
 ('f0000000-0000-4000-8000-000000000001', '2026-11', 10000000),
 ('f0000000-0000-4000-8000-000000000001', '2026-12', 12000000),
 ('f0000000-0000-4000-8000-000000000001', '2027-01', 10000000),
 ('f0000000-0000-4000-8000-000000000001', '2027-02', 10000000),
 ('f0000000-0000-4000-8000-000000000001', '2027-03', 10000000),
 ('f0000000-0000-4000-8000-000000000002', '2027-01', 2000000),
 ('f0000000-0000-4000-8000-000000000002', '2027-02', 2000000),
 ('f0000000-0000-4000-8000-000000000002', '2027-03', 2000000);
INSERT INTO contract_amendments (id, contract_id, actor, reason, old_schedule_json, new_schedule_json, atp_override, at) VALUES
 ('f1000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001', 'seed-sales', 'customer asked for 2 t more in December',
  '[{"period":"2026-12","quantity_kg":"10000.000"}]', '[{"period":"2026-12","quantity_kg":"12000.000"}]', FALSE, '2026-09-03 10:00:00');
INSERT INTO orders (id, number, order_type, customer_id, product_id, contract_id, period, quantity_g, pricing_json, pricing_source, currency, incoterm, incoterm_place, status, confirmed_at, external_ref, created_at, updated_at, version) VALUES
 ('0a000000-0000-4000-8000-000000000001', 'ORD-2026-000001', 'spot', 'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', NULL,
  '2027-01', 2000000, '{"type":"fixed","unit_price":"61.25"}', 'order', 'USD', 'CIF', 'Yokohama', 'confirmed', '2026-09-05 12:00:00', 'ERP-O-0001',
  '2026-09-05 11:00:00', '2026-09-05 12:00:00', 2),
 ('0a000000-0000-4000-8000-000000000002', 'ORD-2026-000002', 'add_on', 'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001',
  '2026-12', 1000000, '{"type":"fixed","unit_price":"64.00"}', 'contract', 'USD', 'CIF', 'Yokohama', 'confirmed', '2026-09-06 12:00:00', NULL,
  '2026-09-06 11:00:00', '2026-09-06 12:00:00', 2),
 ('0a000000-0000-4000-8000-000000000003', 'ORD-2026-000003', 'spot', 'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', NULL,
  '2027-02', 500000, '{"type":"index","index_id":"d0000000-0000-4000-8000-000000000001","qp_offset_months":-1,"multiplier":"1","premium":"0.50"}', 'order', 'USD', 'FOB', 'Shanghai', 'draft', NULL, NULL,
  '2026-09-07 11:00:00', '2026-09-07 11:00:00', 1),
 ('0a000000-0000-4000-8000-000000000004', 'ORD-2026-000004', 'spot', 'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', NULL,
  '2027-01', 750000, '{"type":"fixed","unit_price":"60.00"}', 'order', 'USD', 'FOB', 'Shanghai', 'cancelled', NULL, NULL,
  '2026-09-08 11:00:00', '2026-09-08 12:00:00', 2);
INSERT INTO production_plans (id, version_no, note, status, approved_at, approved_by, created_at, updated_at, version) VALUES
 ('9a000000-0000-4000-8000-000000000001', 1, 'Q4 2026 to Q1 2027', 'approved', '2026-09-01 15:00:00', 'admin', '2026-09-01 14:00:00', '2026-09-01 15:00:00', 2),
 ('9a000000-0000-4000-8000-000000000002', 2, 'what-if: a furnace down in February', 'draft', NULL, NULL, '2026-09-09 14:00:00', '2026-09-09 14:00:00', 1);
INSERT INTO production_plan_lines (plan_id, product_id, period, planned_g) VALUES
 ('9a000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2026-10', 30000000),
 ('9a000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2026-11', 30000000),
 ('9a000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2026-12', 30000000),
 ('9a000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2027-01', 30000000),
 ('9a000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2027-02', 30000000),
 ('9a000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2027-03', 30000000),
 ('9a000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002', '2027-01', 5000000),
 ('9a000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001', '2027-02', 10000000);
INSERT INTO production_actuals (product_id, period, actual_g, created_at, updated_at, version) VALUES
 ('b0000000-0000-4000-8000-000000000001', '2026-10', 28500000, '2026-11-01 07:00:00', '2026-11-01 07:00:00', 1);
INSERT INTO stock_snapshots (product_id, period, quantity_g, created_at, updated_at, version) VALUES
 ('b0000000-0000-4000-8000-000000000001', '2026-10', 4000000, '2026-11-01 07:05:00', '2026-11-01 07:05:00', 1);
UPDATE counters SET value = 2 WHERE name = 'contracts';
UPDATE counters SET value = 4 WHERE name = 'orders';
UPDATE counters SET value = 2 WHERE name = 'plans';
UPDATE counters SET value = 1 WHERE name = 'plan_approvals';
