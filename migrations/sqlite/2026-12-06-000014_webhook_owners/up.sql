-- Webhook subscriptions belong to the user who made them: an integration user manages its own,
-- an admin all. Subscriptions made before owners were recorded have none (admins only).
ALTER TABLE webhook_subscriptions ADD COLUMN owner_id TEXT;
CREATE INDEX webhook_subscriptions_owner ON webhook_subscriptions (owner_id, created_at, id);
