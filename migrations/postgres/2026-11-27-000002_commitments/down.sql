DROP TABLE stock_snapshots;
DROP TABLE production_actuals;
DROP TABLE production_plan_lines;
DROP TABLE production_plans;
DROP TABLE orders;
DROP TABLE contract_amendments;
DROP TABLE contract_lines;
DROP TABLE contracts;
DELETE FROM counters WHERE name IN ('contracts', 'orders', 'plans', 'plan_approvals');
