-- A subscription's pending deliveries, in event order: the worker reads the oldest on every
-- step, and without this index that read walked every delivery the subscription ever had.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, status, event_seq);
