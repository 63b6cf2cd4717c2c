ALTER TABLE shipments DROP COLUMN consignment_note;
ALTER TABLE shipments DROP COLUMN flight;
ALTER TABLE shipments DROP COLUMN air_waybill;
ALTER TABLE shipments DROP COLUMN transport_mode;
