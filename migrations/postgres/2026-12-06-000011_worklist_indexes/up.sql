-- The desk's worklists and counts: orders by status and month (waiting for confirmation, late,
-- committed), the latest changed first (the order worklist's default), by delivery month, and
-- shipments by month (what moved in the months of the delivery schedule).
CREATE INDEX orders_status_period ON orders (status, period);
CREATE INDEX orders_updated ON orders (updated_at, id);
CREATE INDEX orders_period ON orders (period, id);
CREATE INDEX shipments_period ON shipments (period, status);
