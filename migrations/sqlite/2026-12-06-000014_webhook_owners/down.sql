DROP INDEX webhook_subscriptions_owner;
ALTER TABLE webhook_subscriptions DROP COLUMN owner_id;
