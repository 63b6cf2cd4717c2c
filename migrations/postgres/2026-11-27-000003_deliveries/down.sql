DROP TABLE shipments;
DROP TABLE export_licences;
DELETE FROM counters WHERE name = 'shipments';
