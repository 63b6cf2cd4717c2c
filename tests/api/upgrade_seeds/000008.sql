-- Version 8 (webhooks): a subscription (disabled, so the upgraded service sends nothing), a
-- delivery that succeeded after one failed attempt.
INSERT INTO webhook_subscriptions (id, url, event_types_json, description, status, disabled_reason, secret, cursor_seq, retry_at, lease_until, lease_token, created_at, updated_at, version) VALUES
 ('3b000000-0000-4000-8000-000000000001', 'https://erp.example.com/hooks/ndpr', '["customer.*","order.confirmed"]', 'ERP mirror', 'disabled',
  'disabled by an administrator', 'whsec_c2VlZC1zZWNyZXQtc2VlZC1zZWNyZXQtc2VlZC1zZWNyZXQ=', 2, NULL, NULL, NULL,
  '2026-09-10 08:00:00', '2026-09-12 08:00:00', 2);
INSERT INTO webhook_deliveries (id, subscription_id, event_seq, event_id, event_type, status, attempts, next_attempt_at, created_at, updated_at) VALUES
 ('3c000000-0000-4000-8000-000000000001', '3b000000-0000-4000-8000-000000000001', 1, 'e0000000-0000-4000-8000-000000000001', 'customer.created',
  'succeeded', 2, NULL, '2026-09-10 08:00:01', '2026-09-10 08:00:07');
INSERT INTO webhook_attempts (id, delivery_id, attempted_at, response_status, duration_ms, error) VALUES
 ('3d000000-0000-4000-8000-000000000001', '3c000000-0000-4000-8000-000000000001', '2026-09-10 08:00:01', 503, 120, 'the receiver answered 503'),
 ('3d000000-0000-4000-8000-000000000002', '3c000000-0000-4000-8000-000000000001', '2026-09-10 08:00:07', 200, 85, NULL);
