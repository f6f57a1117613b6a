-- Each checklist item's note (the problem found, or a remark), as
-- item=note lines JSON-encoded ({"ledger":"人数不符",…}); the answers stay
-- in inspection_checks.answers (item=answer,…).
ALTER TABLE inspection_checks ADD COLUMN item_notes TEXT NOT NULL DEFAULT '{}';
-- A sampled household's check is found by the sample; the inspectors of an
-- inspection are looked up by user for the secrecy checks.
CREATE INDEX inspection_inspectors_user ON inspection_inspectors (user_id, inspection_id);
