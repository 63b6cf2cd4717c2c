-- Version 3 (deliveries): an export licence, a delivered shipment under the contract and a
-- planned one for the spot order.
INSERT INTO export_licences (id, number, product_id, customer_id, quantity_g, shipped_g, valid_from, valid_to, status, created_at, updated_at, version) VALUES
 ('11000000-0000-4000-8000-000000000001', 'MOFCOM-2026-0815', 'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001',
  100000000, 10000000, '2026-01-01', '2027-12-31', 'active', '2026-09-01 16:00:00', '2026-10-20 09:00:00', 2);
INSERT INTO shipments (id, number, order_id, contract_id, period, customer_id, product_id, quantity_g, lots_json, planned_ship_date, shipped_on, delivered_on, vessel, voyage, bl_number, containers_json, export_licence_id, status, created_at, updated_at, version) VALUES
 ('5a000000-0000-4000-8000-000000000001', 'SHP-2026-000001', NULL, 'f0000000-0000-4000-8000-000000000001', '2026-10',
  'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 10000000,
  '[{"lot_number":"BT-2026-10-A","quantity_kg":"10000.000"}]', '2026-10-18', '2026-10-20', '2026-11-15',
  'COSCO Aries', '042E', 'COSU6260001', '["CSNU1234567","TGHU7654321"]', '11000000-0000-4000-8000-000000000001', 'delivered',
  '2026-10-10 09:00:00', '2026-11-15 09:00:00', 3),
 ('5a000000-0000-4000-8000-000000000002', 'SHP-2026-000002', '0a000000-0000-4000-8000-000000000001', NULL, '2027-01',
  'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 2000000,
  '[{"lot_number":"BT-2027-01-A","quantity_kg":"2000.000"}]', '2027-01-12', NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, 'planned', '2026-10-11 09:00:00', '2026-10-11 09:00:00', 1);
UPDATE counters SET value = 2 WHERE name = 'shipments';
