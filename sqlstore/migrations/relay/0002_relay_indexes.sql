-- Steps are looked up while open and rarely after: index only the open
-- ones. A step that closes then just leaves these indexes (rather than
-- moving within each, as with status as a key column), and they stay the
-- size of the work in hand, not of every step ever opened.
DROP INDEX deadlines_due;
DROP INDEX deadlines_owner;
CREATE INDEX deadlines_open_due ON deadlines (due_at) WHERE status = 'open';
CREATE INDEX deadlines_open_owner ON deadlines (owner_place, due_at) WHERE status = 'open';
-- The work list and the figures of a place ask for the open steps of a
-- subtree: find them by place rather than among every open step. (Not by
-- due time as well: an escalation moves every deadline it touches, and
-- each index holding the due time has to follow.)
CREATE INDEX deadlines_open_place ON deadlines (place_code) WHERE status = 'open';

-- The escalation sweep gathers the steps it moves in a temporary table:
-- the sweep column needs no index (updating one on every moved step was
-- a third of a large sweep's time).
DROP INDEX deadlines_sweep;
