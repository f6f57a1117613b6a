-- The survey-and-register stage (登记造册): why a member was removed, the
-- reminders already sent, and the indexes of the campaign progress page.

ALTER TABLE campaign_members ADD COLUMN removed_reason TEXT NOT NULL DEFAULT '';

-- A person is on a group's list once: two staff adding the same person at
-- once make one row.
CREATE UNIQUE INDEX campaign_members_current ON campaign_members (campaign_id, group_code, person_id) WHERE removed_at = 0;
-- The counts per village and group of the progress page, read from the index alone.
CREATE INDEX campaign_members_counts ON campaign_members (campaign_id, village_code, group_code, removed_at) WHERE removed_at = 0;

-- reminded_at: the reminder a few days before the end was sent (once);
-- late_at: the stage's end passed unsubmitted and its deadline was opened
-- (once; a reopened stage clears it).
ALTER TABLE campaign_village_stages ADD COLUMN reminded_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_village_stages ADD COLUMN late_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_village_stages ADD COLUMN reopened_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_village_stages ADD COLUMN reopened_by TEXT NOT NULL DEFAULT '';

-- The progress page reads a stage's villages with their status alone.
CREATE INDEX campaign_village_stages_status ON campaign_village_stages (stage_id, village_code, status, submitted_at);
