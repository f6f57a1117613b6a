-- The due visits a visit answered, found by the visit: the record read
-- back counts them and recording a visit closes their steps through it.
-- Only answered ones are indexed (visit_id 0 is "not yet").
CREATE INDEX visit_due_visit ON visit_due (visit_id) WHERE visit_id <> 0;

-- The day list: the open due visits of a place in due order, covering
-- what the list shows of them (the head's name is looked up after).
CREATE INDEX visit_due_day ON visit_due (place_code, due_at, household_id, need, trigger_code, id) WHERE status = 'open';
