-- A change counter per household for screening: bumped by the one
-- helper that queues a household for screening (enqueue, enqueuePlace),
-- in the transaction of the change. A full screening reads households and
-- evaluates them outside the writer, with the counter; it writes the
-- answers of the households whose counter has not moved since and leaves
-- the others queued. The index covers the check (id, counter).
ALTER TABLE households ADD COLUMN screen_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX households_screen_seq ON households (id, screen_seq);

-- A change counter of the rules and parameter values in force, bumped by
-- enqueuePlace: a full screening that started before a change leaves the
-- households it screens queued (it screened them with the rules it
-- started with).
CREATE TABLE screening_generation (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO screening_generation (id, n) VALUES (1, 0);
