DROP INDEX orders_product_status;
DROP TABLE positions;
