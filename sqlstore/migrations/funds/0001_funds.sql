-- Support funds and linked resources (帮扶资金 / 链接资源). A source (a
-- budget appropriation, a company, donations, a unit's support funds) is
-- owned by a place; its ledger, fund_entries, is append-only: receipts,
-- allocations, spending and in-kind gifts, and reversals (冲销) that undo
-- one earlier entry whole with a reason. Amounts are integer fen; a
-- reversal carries the opposite amount of its original, so SUM(amount_fen)
-- per kind is the balance.
--
-- fund_sources' totals and fund_allocations' spent_fen are the running
-- balance, changed only in the transaction that appends the entry, by a
-- conditional UPDATE (… WHERE allocated_fen + ? <= received_fen): two
-- allocations at once cannot overdraw on either database (PostgreSQL
-- re-checks the condition on the row the other transaction committed).

CREATE TABLE fund_sources (
	id            AUTOID,
	client_id     TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	kind          TEXT NOT NULL,                           -- funds.SourceKinds
	donor         TEXT NOT NULL DEFAULT '',
	place_code    TEXT NOT NULL REFERENCES places (code),  -- the owning county, town or village
	note          TEXT NOT NULL DEFAULT '',
	received_fen  BIGINT NOT NULL DEFAULT 0,
	allocated_fen BIGINT NOT NULL DEFAULT 0,
	spent_fen     BIGINT NOT NULL DEFAULT 0,
	inkind_fen    BIGINT NOT NULL DEFAULT 0,
	entries       INTEGER NOT NULL DEFAULT 0,
	created_by    TEXT NOT NULL,
	created_at    BIGINT NOT NULL,
	CHECK (allocated_fen <= received_fen AND spent_fen <= allocated_fen AND spent_fen >= 0)
);
CREATE INDEX fund_sources_place ON fund_sources (place_code, kind);

CREATE TABLE fund_entries (
	id             AUTOID,
	client_id      TEXT NOT NULL UNIQUE,                   -- made by the form: a resend is the same entry
	source_id      BIGINT NOT NULL REFERENCES fund_sources (id),
	place_code     TEXT NOT NULL,                          -- the source's place
	kind           TEXT NOT NULL,                          -- receipt, allocation, spend, inkind
	amount_fen     BIGINT NOT NULL,                        -- negative only for a reversal
	on_date        TEXT NOT NULL,                          -- local date YYYY-MM-DD
	doc_no         TEXT NOT NULL DEFAULT '',
	payee          TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	target         TEXT NOT NULL DEFAULT '',               -- measure, households, persons, purchase
	measure        TEXT NOT NULL DEFAULT '',
	item           TEXT NOT NULL DEFAULT '',
	quantity       BIGINT NOT NULL DEFAULT 0,
	unit_price_fen BIGINT NOT NULL DEFAULT 0,
	allocation_id  BIGINT REFERENCES fund_entries (id),    -- a spend: the allocation paid from
	reverses_id    BIGINT REFERENCES fund_entries (id),    -- a reversal: the entry undone
	reason         TEXT NOT NULL DEFAULT '',
	user_id        BIGINT NOT NULL,
	username       TEXT NOT NULL,
	display_name   TEXT NOT NULL DEFAULT '',
	at             BIGINT NOT NULL
);
CREATE INDEX fund_entries_source ON fund_entries (source_id, id);
-- The figures: each source's entries of a period, summed per kind.
CREATE INDEX fund_entries_figures ON fund_entries (source_id, on_date, kind, amount_fen);
CREATE INDEX fund_entries_allocation ON fund_entries (allocation_id) WHERE allocation_id IS NOT NULL;
-- One reversal per entry, whatever the race.
CREATE UNIQUE INDEX fund_entries_reverses ON fund_entries (reverses_id) WHERE reverses_id IS NOT NULL;

-- The running balance of each allocation.
CREATE TABLE fund_allocations (
	entry_id   BIGINT PRIMARY KEY REFERENCES fund_entries (id),
	source_id  BIGINT NOT NULL,
	amount_fen BIGINT NOT NULL,
	spent_fen  BIGINT NOT NULL DEFAULT 0,
	reversed   INTEGER NOT NULL DEFAULT 0,
	CHECK (spent_fen >= 0 AND spent_fen <= amount_fen)
);
CREATE INDEX fund_allocations_source ON fund_allocations (source_id);

-- Who an allocation or in-kind gift went to, with each one's share.
CREATE TABLE fund_targets (
	entry_id     BIGINT NOT NULL REFERENCES fund_entries (id),
	household_id BIGINT NOT NULL REFERENCES households (id),
	person_id    BIGINT REFERENCES persons (id),
	place_code   TEXT NOT NULL,                           -- the household's place when given
	share_fen    BIGINT NOT NULL
);
CREATE INDEX fund_targets_entry ON fund_targets (entry_id);
CREATE INDEX fund_targets_household ON fund_targets (household_id, entry_id);
CREATE INDEX fund_targets_place ON fund_targets (place_code, entry_id);
CREATE INDEX fund_targets_person ON fund_targets (person_id);

-- Documents attached to an entry: PDFs and images, checked on upload.
CREATE TABLE fund_documents (
	id           AUTOID,
	entry_id     BIGINT NOT NULL REFERENCES fund_entries (id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	data         BLOB NOT NULL,
	username     TEXT NOT NULL,
	at           BIGINT NOT NULL
);
CREATE INDEX fund_documents_entry ON fund_documents (entry_id);
