-- The sweep's indexes hold only the days it reads: the missed days (a
-- twentieth of the days or fewer) instead of every day of every pact, so a
-- morning's 100,000 signs do not grow them and the sweep reads less.
DROP INDEX pact_days_open;
DROP INDEX pact_days_sweep;
-- The ladder (next step due) and the open alerts.
CREATE INDEX pact_days_missed ON pact_days (next_at, pact_id) WHERE status = 'missed';
-- The days a sweep alerted (the sign's days never carry a sweep), covering
-- what the alerts read of them.
CREATE INDEX pact_days_sweep ON pact_days (sweep, pact_id, rung, day) WHERE sweep <> '';
-- Links in use only.
DROP INDEX pacts_token;
CREATE INDEX pacts_token ON pacts (token_hash) WHERE token_hash <> '';

-- Device secrets are encrypted with the store's key (as ID and phone
-- numbers): secret_enc holds them; the clear column is emptied by the
-- store right after this migration (sealPactSecrets), since SQL cannot
-- encrypt.
ALTER TABLE pact_devices ADD COLUMN secret_enc BLOB;
