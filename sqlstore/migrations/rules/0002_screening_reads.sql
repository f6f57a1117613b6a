-- Screening reads a chunk of households by a range of their ids. These
-- indexes hold every column it reads, so that the persons, categories held
-- and former memberships of a chunk come from one range scan of a narrow
-- index, not from the wide rows of the tables (names, sealed numbers,
-- search text).
CREATE INDEX IF NOT EXISTS persons_rules ON persons (household_id, id, relation, birth_date, sex, disability_kind,
	disability_grade, health, education, in_school, labour, status);
CREATE INDEX IF NOT EXISTS assignments_rules ON assignments (household_id, subject, subject_id, category, end_date) WHERE end_date = '';
-- Ended memberships: the persons who left a household for another one
-- are among its former members (h.former_members).
CREATE INDEX IF NOT EXISTS memberships_ended ON memberships (household_id, id, person_id, relation) WHERE end_date <> '';
