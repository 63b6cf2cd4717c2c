-- Version 1 (foundation): users, master data, an index with quotes, an audit entry, events and
-- an idempotency key, as the first release wrote them.
INSERT INTO users (id, username, password_hash, role, active, created_at, updated_at, version) VALUES
 ('a0000000-0000-4000-8000-000000000001', 'admin', '{{admin_hash}}', 'admin', TRUE, '2026-09-01 08:00:00', '2026-09-01 08:00:00', 1),
 ('a0000000-0000-4000-8000-000000000002', 'seed-sales', '{{admin_hash}}', 'sales', TRUE, '2026-09-01 08:05:00', '2026-09-01 08:05:00', 1),
 ('a0000000-0000-4000-8000-000000000003', 'seed-former', '{{admin_hash}}', 'viewer', FALSE, '2026-09-01 08:06:00', '2026-09-02 09:00:00', 2);
INSERT INTO login_throttle (username, failures, locked_until, updated_at) VALUES
 ('seed-sales', 2, NULL, '2026-09-03 10:00:00');
INSERT INTO customers (id, code, name, country, external_ref, status, created_at, updated_at, version) VALUES
 ('c0000000-0000-4000-8000-000000000001', 'SEED-TOKYO', 'Tokyo Magnetics K.K.', 'JP', 'ERP-C-0001', 'active', '2026-09-01 09:00:00', '2026-09-01 09:00:00', 1),
 ('c0000000-0000-4000-8000-000000000002', 'SEED-BERLIN', 'Berlin Motoren GmbH', 'DE', NULL, 'archived', '2026-09-01 09:01:00', '2026-09-05 11:00:00', 3);
INSERT INTO products (id, code, name, form, min_purity_milli_pct, hs_code, export_controlled, external_ref, status, created_at, updated_at, version) VALUES
 ('b0000000-0000-4000-8000-000000000001', 'SEED-NDPR-OX', 'NdPr oxide 99.5%', 'oxide', 99500, '28469015', TRUE, 'ERP-P-0001', 'active', '2026-09-01 09:10:00', '2026-09-01 09:10:00', 1),
 ('b0000000-0000-4000-8000-000000000002', 'SEED-NDPR-MET', 'NdPr metal', 'metal', NULL, NULL, FALSE, NULL, 'active', '2026-09-01 09:11:00', '2026-09-01 09:11:00', 1);
INSERT INTO price_indices (id, code, name, currency, source, status, created_at, updated_at, version) VALUES
 ('d0000000-0000-4000-8000-000000000001', 'SEED-NDPR-USD', 'NdPr oxide FOB China', 'USD', 'Asian Metal', 'active', '2026-09-01 09:20:00', '2026-09-01 09:20:00', 1);
INSERT INTO price_quotes (index_id, quote_date, price_e4, updated_at) VALUES
 ('d0000000-0000-4000-8000-000000000001', '2026-09-01', 600000, '2026-09-01 18:00:00'),
 ('d0000000-0000-4000-8000-000000000001', '2026-09-02', 620000, '2026-09-02 18:00:00'),
 ('d0000000-0000-4000-8000-000000000001', '2026-10-01', 641250, '2026-10-01 18:00:00'),
 ('d0000000-0000-4000-8000-000000000001', '2026-10-02', 648750, '2026-10-02 18:00:00');
INSERT INTO audit_entries (actor, action, entity_type, entity_id, before_json, after_json, request_id, at) VALUES
 ('admin', 'customer.created', 'customer', 'c0000000-0000-4000-8000-000000000001', NULL,
  '{"code":"SEED-TOKYO","name":"Tokyo Magnetics K.K."}', 'seed-request-1', '2026-09-01 09:00:00');
INSERT INTO events (seq, id, event_type, entity_type, entity_id, occurred_at, data_json) VALUES
 (1, 'e0000000-0000-4000-8000-000000000001', 'customer.created', 'customer', 'c0000000-0000-4000-8000-000000000001', '2026-09-01 09:00:00',
  '{"id":"c0000000-0000-4000-8000-000000000001","code":"SEED-TOKYO","name":"Tokyo Magnetics K.K.","country":"JP","external_ref":"ERP-C-0001","status":"active","created_at":"2026-09-01T09:00:00Z","updated_at":"2026-09-01T09:00:00Z","version":1}'),
 (2, 'e0000000-0000-4000-8000-000000000002', 'product.created', 'product', 'b0000000-0000-4000-8000-000000000001', '2026-09-01 09:10:00',
  '{"id":"b0000000-0000-4000-8000-000000000001","code":"SEED-NDPR-OX","name":"NdPr oxide 99.5%","form":"oxide","min_purity_pct":"99.5","hs_code":"28469015","export_controlled":true,"external_ref":"ERP-P-0001","status":"active","created_at":"2026-09-01T09:10:00Z","updated_at":"2026-09-01T09:10:00Z","version":1}');
UPDATE counters SET value = 2 WHERE name = 'events';
INSERT INTO idempotency_keys (principal, idem_key, request_hash, status_code, response_headers, response_body, created_at) VALUES
 ('a0000000-0000-4000-8000-000000000001', 'seed-key-1', 'seed-hash', 201, '[]', '{"id":"c0000000-0000-4000-8000-000000000001"}', CURRENT_TIMESTAMP);
