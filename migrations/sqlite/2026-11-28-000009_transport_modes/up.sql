-- Shipments leave by sea, air, rail or road, each with its own document: a bill of lading and
-- vessel by sea, an air waybill by air, a consignment note (CIM/SMGS or CMR) by rail or road.
-- Shipments recorded before modes existed went by sea.
ALTER TABLE shipments ADD COLUMN transport_mode TEXT NOT NULL DEFAULT 'sea';
ALTER TABLE shipments ADD COLUMN air_waybill TEXT;
ALTER TABLE shipments ADD COLUMN flight TEXT;
ALTER TABLE shipments ADD COLUMN consignment_note TEXT;
