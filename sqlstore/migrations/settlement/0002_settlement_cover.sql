-- The month's sheet reads only these columns of an organisation's month:
-- one index covers the paid lines, the counts per worker and state and the
-- blocking filter, so a settlement over 100,000 records reads no table
-- rows for them (without it SQLite scanned the worker index whole to
-- group by worker).
CREATE INDEX IF NOT EXISTS service_records_settle ON service_records (org_id, month, review_status, flags, worker_id, contract_id, service_type, price_fen);
