-- Version 9 (transport modes): an add-on order's shipment going by air.
INSERT INTO shipments (id, number, order_id, contract_id, period, customer_id, product_id, quantity_g, lots_json, planned_ship_date, shipped_on, delivered_on, vessel, voyage, bl_number, containers_json, export_licence_id, status, created_at, updated_at, version, transport_mode, air_waybill, flight, consignment_note) VALUES
 ('5a000000-0000-4000-8000-000000000003', 'SHP-2026-000003', '0a000000-0000-4000-8000-000000000002', NULL, '2026-12',
  'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 1000000,
  '[{"lot_number":"BT-2026-12-AIR","quantity_kg":"1000.000"}]', '2026-12-03', NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, 'planned', '2026-11-20 09:00:00', '2026-11-20 09:00:00', 1,
  'air', '784-12345675', 'CA925', NULL);
UPDATE counters SET value = 3 WHERE name = 'shipments';
