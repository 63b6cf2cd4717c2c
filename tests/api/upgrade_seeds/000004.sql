-- Version 4 (hardening): failed logins per user and address; a user whose tokens were ended.
INSERT INTO login_attempts (username, client, failures, locked_until, updated_at) VALUES
 ('seed-sales', '192.0.2.10', 1, NULL, CURRENT_TIMESTAMP);
UPDATE users SET token_version = 1 WHERE username = 'seed-former';
