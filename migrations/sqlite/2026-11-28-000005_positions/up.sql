-- One product's position per month, kept in the same transaction as every change that moves
-- it, so the ATP gate and the reconciliation read months, not the order book:
--   planned_g   the current plan's line (the latest approved version naming the month), or NULL
--   contract_g  scheduled under active and suspended contracts
--   addon_g     confirmed (or later) add-on orders
--   spot_g      confirmed (or later) spot orders
--   pending_g   draft and submitted orders
-- Actual output and stock snapshots stay in their own tables, one row per month already.
CREATE TABLE positions (
    product_id TEXT NOT NULL REFERENCES products (id),
    period TEXT NOT NULL,
    planned_g BIGINT,
    contract_g BIGINT NOT NULL DEFAULT 0,
    addon_g BIGINT NOT NULL DEFAULT 0,
    spot_g BIGINT NOT NULL DEFAULT 0,
    pending_g BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, period)
);

-- Built from the source rows for databases that already hold business data.
INSERT INTO positions (product_id, period, planned_g, contract_g, addon_g, spot_g, pending_g)
SELECT product_id, period, MAX(planned), SUM(contract), SUM(addon), SUM(spot), SUM(pending)
FROM (
    SELECT l.product_id, l.period, l.planned_g AS planned,
           0 AS contract, 0 AS addon, 0 AS spot, 0 AS pending
    FROM production_plan_lines l
    JOIN production_plans p ON p.id = l.plan_id
    WHERE p.status IN ('approved', 'superseded')
      AND p.version_no = (
          SELECT MAX(p2.version_no)
          FROM production_plan_lines l2
          JOIN production_plans p2 ON p2.id = l2.plan_id
          WHERE p2.status IN ('approved', 'superseded')
            AND l2.product_id = l.product_id AND l2.period = l.period)
    UNION ALL
    SELECT c.product_id, cl.period, NULL, cl.quantity_g, 0, 0, 0
    FROM contract_lines cl
    JOIN contracts c ON c.id = cl.contract_id
    WHERE c.status IN ('active', 'suspended')
    UNION ALL
    SELECT product_id, period, NULL, 0,
           CASE WHEN order_type = 'add_on' AND status IN ('confirmed', 'partially_shipped', 'shipped', 'delivered') THEN quantity_g ELSE 0 END,
           CASE WHEN order_type = 'spot' AND status IN ('confirmed', 'partially_shipped', 'shipped', 'delivered') THEN quantity_g ELSE 0 END,
           CASE WHEN status IN ('draft', 'submitted') THEN quantity_g ELSE 0 END
    FROM orders
    WHERE status NOT IN ('cancelled', 'rejected')
) AS sources
GROUP BY product_id, period;

-- Orders at risk are read only for the months a shortfall reaches: committed orders by month.
CREATE INDEX orders_product_status ON orders (product_id, status, period);
