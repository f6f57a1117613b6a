-- Full-text search over persons.search_text (name and address, Han
-- characters spaced so that 2-character names match as phrases).
ALTER TABLE persons ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX persons_search ON persons USING GIN (search_tsv);
