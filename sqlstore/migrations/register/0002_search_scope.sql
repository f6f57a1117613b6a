-- Search words keyed by the county, town and village (see
-- register_search.go): persons whose search text is in the older format
-- are found through this index and rewritten when the schema is migrated;
-- once all are rewritten it is empty.
CREATE INDEX persons_search_old ON persons (id) WHERE search_text NOT LIKE 'sn1 %';
