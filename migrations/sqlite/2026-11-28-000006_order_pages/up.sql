-- Order lists run in (created_at, id) order with filters. An index per common filter, ending in
-- the sort keys, lets a page of 100 stop after about 100 index entries instead of sorting every
-- matching order. No index leads with status: a confirmation changes it, and every index that
-- holds it is one more page to write per confirmation (status alone is served well enough by
-- walking `orders_page`, as most orders share one status).
CREATE INDEX orders_product_page ON orders (product_id, created_at, id);
CREATE INDEX orders_customer_page ON orders (customer_id, created_at, id);
CREATE INDEX orders_contract_page ON orders (contract_id, created_at, id);
-- Covered by orders_contract_page, and by orders_product_status (the months at risk) and
-- orders_product_page (lists).
DROP INDEX orders_contract;
DROP INDEX orders_product;
