-- Version 14 (webhook owners): an integration user and the subscription it made.
INSERT INTO users (id, username, password_hash, role, active, created_at, updated_at, version, token_version) VALUES
 ('a0000000-0000-4000-8000-000000000004', 'seed-erp', '{{admin_hash}}', 'integration', TRUE, '2026-12-01 08:00:00', '2026-12-01 08:00:00', 1, 0);
INSERT INTO webhook_subscriptions (id, url, event_types_json, description, status, disabled_reason, secret, cursor_seq, retry_at, lease_until, lease_token, created_at, updated_at, version, owner_id) VALUES
 ('3b000000-0000-4000-8000-000000000002', 'https://erp.example.com/hooks/orders', '["order.*"]', 'ERP orders', 'disabled',
  'paused by the ERP team', 'whsec_c2VlZC1zZWNyZXQtc2VlZC1zZWNyZXQtc2VlZC1zZWNyZXQ=', 2, NULL, NULL, NULL,
  '2026-12-01 08:10:00', '2026-12-01 08:10:00', 2, 'a0000000-0000-4000-8000-000000000004');
