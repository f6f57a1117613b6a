-- Concentrated screening (集中排查): what the shared table does not keep.
-- A correction is sent with its own client ID (last_client_id) so that a
-- resend of the correction is the same correction; the rigid expenses by
-- kind; the per-capita net income and the monitoring line the suggestion
-- was decided with, so the list explains it as it was decided; who last
-- corrected the record.
ALTER TABLE screening_records ADD COLUMN last_client_id TEXT NOT NULL DEFAULT '';
ALTER TABLE screening_records ADD COLUMN expense_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE screening_records ADD COLUMN per_capita_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE screening_records ADD COLUMN line_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE screening_records ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE screening_records ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX screening_records_last_client ON screening_records (last_client_id);
CREATE INDEX screening_records_suggests ON screening_records (campaign_id, suggests, village_code);
