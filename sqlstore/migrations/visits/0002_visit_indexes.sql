-- The due visits a visit answered, found by the visit: the record read
-- back counts them and recording a visit closes their steps through it.
-- Only answered ones are indexed (visit_id 0 is "not yet").
CREATE INDEX visit_due_visit ON visit_due (visit_id) WHERE visit_id <> 0;
