CREATE INDEX orders_product ON orders (product_id, period);
CREATE INDEX orders_contract ON orders (contract_id);
DROP INDEX orders_contract_page;
DROP INDEX orders_customer_page;
DROP INDEX orders_product_page;
