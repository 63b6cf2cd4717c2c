DROP INDEX shipments_period;
DROP INDEX orders_period;
DROP INDEX orders_updated;
DROP INDEX orders_status_period;
