ALTER TABLE contracts DROP COLUMN ended_period;
