-- The month a contract ended (completed or terminated): its months from then on are released,
-- no longer owed. Contracts that ended before this column existed ended in the month of their
-- last change.
ALTER TABLE contracts ADD COLUMN ended_period TEXT;
UPDATE contracts SET ended_period = to_char(updated_at, 'YYYY-MM') WHERE status IN ('completed', 'terminated');
