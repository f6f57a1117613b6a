-- The fingerprint of the household's data and the county's parameter
-- values a matched answer was explained with: screening again with the
-- same fingerprint keeps the stored explanation instead of explaining
-- the answer again (rules.DataHash).
ALTER TABLE rule_results ADD COLUMN data_fp BIGINT NOT NULL DEFAULT 0;
