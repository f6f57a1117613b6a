package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
)

// FundSource is a source with its balance.
type FundSource struct {
	ID        int64
	Name      string
	Kind      string
	Donor     string
	PlaceCode string
	PlaceName string
	Note      string
	funds.Balance
	Entries   int
	CanManage bool
	CreatedBy string
	CreatedAt time.Time
}

// FundTarget is a household or person an entry went to. Name is empty
// when the actor may not see the household (a county source allocated to
// another village is shown to a village as "another household").
type FundTarget struct {
	HouseholdID int64
	PersonID    int64
	Name        string
	ShareFen    int64
}

// FundDocumentInfo describes an attached document.
type FundDocumentInfo struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
}

// FundEntry is one line of a ledger.
type FundEntry struct {
	ID           int64
	SourceID     int64
	Kind         string
	AmountFen    int64
	On           time.Time
	DocNo        string
	Payee        string
	Note         string
	Target       string
	Measure      string
	MeasureZH    string
	MeasureEN    string
	Item         string
	Quantity     int64
	UnitPriceFen int64
	AllocationID int64
	ReversesID   int64
	ReversedBy   int64
	Reason       string
	By           string
	At           time.Time
	SpentFen     int64 // an allocation: spent from it
	Targets      []FundTarget
	Documents    []FundDocumentInfo
}

// Open reports whether an allocation can still be spent from.
func (e FundEntry) Open() bool {
	return e.Kind == funds.Allocation && e.ReversesID == 0 && e.ReversedBy == 0 && e.SpentFen < e.AmountFen
}

// FundSourceDetail is a source with its ledger, newest first.
type FundSourceDetail struct {
	FundSource
	Ledger []FundEntry
	// More is true when the ledger was cut at the limit asked for.
	More bool
}

// FundSourceFilter narrows the list of sources.
type FundSourceFilter struct {
	Kind  string
	Place string // sources owned in this subtree
}

const fundSourceCols = `s.id, s.name, s.kind, s.donor, s.place_code, p.name, s.note, s.received_fen, s.allocated_fen, s.spent_fen, s.inkind_fen,
	s.entries, s.created_by, s.created_at`

func scanFundSource(sc interface{ Scan(...any) error }) (FundSource, error) {
	var f FundSource
	var at int64
	err := sc.Scan(&f.ID, &f.Name, &f.Kind, &f.Donor, &f.PlaceCode, &f.PlaceName, &f.Note, &f.Received, &f.Allocated, &f.Spent, &f.InKind,
		&f.Entries, &f.CreatedBy, &at)
	f.CreatedAt = fromMS(at)
	return f, err
}

// FundSources lists the sources the actor sees.
func (s *Store) FundSources(ctx context.Context, a access.Actor, f FundSourceFilter) ([]FundSource, error) {
	if err := a.Require(access.FundsView); err != nil {
		return nil, err
	}
	where, args := fundsVisible(a, "s.place_code")
	if f.Kind != "" {
		where += " AND s.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Place != "" {
		where += " AND s.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"
		args = append(args, f.Place)
	}
	var out []FundSource
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+fundSourceCols+` FROM fund_sources s JOIN places p ON p.code = s.place_code WHERE `+where+
			` ORDER BY s.id DESC LIMIT 1000`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			x, err := scanFundSource(rows)
			if err != nil {
				return err
			}
			out = append(out, x)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			if out[i].CanManage, err = s.fundsManaged(ctx, t, a, out[i].PlaceCode); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: fund sources: %w", err)
	}
	return out, nil
}

// FundSource returns a source with the newest limit entries of its
// ledger (all of them if limit is 0).
func (s *Store) FundSource(ctx context.Context, a access.Actor, id int64, limit int) (FundSourceDetail, error) {
	var d FundSourceDetail
	if err := a.Require(access.FundsView); err != nil {
		return d, err
	}
	where, args := fundsVisible(a, "s.place_code")
	err := s.read(ctx, func(t *tx) error {
		var err error
		d.FundSource, err = scanFundSource(t.queryRow(ctx, `SELECT `+fundSourceCols+` FROM fund_sources s JOIN places p ON p.code = s.place_code
			WHERE s.id = ? AND `+where, append([]any{id}, args...)...))
		if isNoRows(err) {
			return safetynet.NotFound("资金来源", "fund source")
		} else if err != nil {
			return fmt.Errorf("sqlstore: fund source: %w", err)
		}
		if d.CanManage, err = s.fundsManaged(ctx, t, a, d.PlaceCode); err != nil {
			return err
		}
		d.Ledger, d.More, err = s.fundEntries(ctx, t, a, `e.source_id = ?`, []any{id}, limit)
		return err
	})
	return d, err
}

// fundEntries reads the entries matching cond, newest first, with their
// targets and documents.
func (s *Store) fundEntries(ctx context.Context, t *tx, a access.Actor, cond string, args []any, limit int) ([]FundEntry, bool, error) {
	q := `SELECT e.id, e.source_id, e.kind, e.amount_fen, e.on_date, e.doc_no, e.payee, e.note, e.target, e.measure,
		COALESCE(m.zh, ''), COALESCE(m.en, ''), e.item, e.quantity, e.unit_price_fen, COALESCE(e.allocation_id, 0), COALESCE(e.reverses_id, 0),
		COALESCE((SELECT r.id FROM fund_entries r WHERE r.reverses_id = e.id), 0), e.reason,
		COALESCE(NULLIF(e.display_name, ''), e.username), e.at, COALESCE(fa.spent_fen, 0)
		FROM fund_entries e LEFT JOIN measure_catalogue m ON m.code = e.measure LEFT JOIN fund_allocations fa ON fa.entry_id = e.id
		WHERE ` + cond + ` ORDER BY e.id DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit+1)
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, false, fmt.Errorf("sqlstore: fund entries: %w", err)
	}
	var out []FundEntry
	byID := map[int64]int{}
	for rows.Next() {
		var e FundEntry
		var on string
		var at int64
		if err := rows.Scan(&e.ID, &e.SourceID, &e.Kind, &e.AmountFen, &on, &e.DocNo, &e.Payee, &e.Note, &e.Target, &e.Measure, &e.MeasureZH,
			&e.MeasureEN, &e.Item, &e.Quantity, &e.UnitPriceFen, &e.AllocationID, &e.ReversesID, &e.ReversedBy, &e.Reason, &e.By, &at, &e.SpentFen); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("sqlstore: fund entries: %w", err)
		}
		e.On, _ = funds.ParseDay(on)
		e.At = fromMS(at)
		byID[e.ID] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("sqlstore: fund entries: %w", err)
	}
	more := limit > 0 && len(out) > limit
	if more {
		out = out[:limit]
	}
	if len(out) == 0 {
		return out, false, nil
	}
	ids := make([]any, 0, len(out))
	for _, e := range out {
		ids = append(ids, e.ID)
	}
	in := "(?" + strings.Repeat(", ?", len(ids)-1) + ")"
	// A target is named only to an actor who sees its household.
	vis, vargs := scopeCheck(a.Scope(access.Register), "ft.place_code")
	rows, err = t.query(ctx, `SELECT ft.entry_id, ft.household_id, COALESCE(ft.person_id, 0), ft.share_fen,
		CASE WHEN `+vis+` THEN COALESCE(pp.name, hp.name, '') ELSE '' END
		FROM fund_targets ft LEFT JOIN persons pp ON pp.id = ft.person_id
		LEFT JOIN households h ON h.id = ft.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
		WHERE ft.entry_id IN `+in+` ORDER BY ft.entry_id, ft.household_id, ft.person_id`, append(vargs, ids...)...)
	if err != nil {
		return nil, false, fmt.Errorf("sqlstore: fund targets: %w", err)
	}
	for rows.Next() {
		var id int64
		var x FundTarget
		if err := rows.Scan(&id, &x.HouseholdID, &x.PersonID, &x.ShareFen, &x.Name); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("sqlstore: fund targets: %w", err)
		}
		if x.Name == "" {
			x.HouseholdID, x.PersonID = 0, 0 // nothing that identifies a household outside the actor's area
		}
		out[byID[id]].Targets = append(out[byID[id]].Targets, x)
	}
	rows.Close()
	rows, err = t.query(ctx, `SELECT entry_id, id, name, content_type, size FROM fund_documents WHERE entry_id IN `+in+` ORDER BY id`, ids...)
	if err != nil {
		return nil, false, fmt.Errorf("sqlstore: fund documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d FundDocumentInfo
		if err := rows.Scan(&id, &d.ID, &d.Name, &d.ContentType, &d.Size); err != nil {
			return nil, false, fmt.Errorf("sqlstore: fund documents: %w", err)
		}
		out[byID[id]].Documents = append(out[byID[id]].Documents, d)
	}
	return out, more, rows.Err()
}

// FundDocumentFile is an attached document with its bytes.
type FundDocumentFile struct {
	FundDocumentInfo
	Data []byte
}

// FundDocument returns an attached document of a source the actor sees.
func (s *Store) FundDocument(ctx context.Context, a access.Actor, id int64) (FundDocumentFile, error) {
	var d FundDocumentFile
	if err := a.Require(access.FundsView); err != nil {
		return d, err
	}
	where, args := fundsVisible(a, "e.place_code")
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT d.id, d.name, d.content_type, d.size, d.data FROM fund_documents d JOIN fund_entries e ON e.id = d.entry_id
			WHERE d.id = ? AND `+where, append([]any{id}, args...)...).Scan(&d.ID, &d.Name, &d.ContentType, &d.Size, &d.Data)
		if isNoRows(err) {
			return safetynet.NotFound("附件", "document")
		}
		return err
	})
	return d, err
}

// HouseholdFundLine is something a household or one of its persons
// received from a source: a share of an allocation or of an in-kind gift.
type HouseholdFundLine struct {
	EntryID    int64
	SourceID   int64
	SourceName string
	SourceKind string
	Kind       string // allocation or inkind
	Target     string
	Item       string
	MeasureZH  string
	MeasureEN  string
	On         time.Time
	PersonName string // empty for the household as a whole
	ShareFen   int64
	Reversed   bool
}

// HouseholdFunds is what a household received from every source.
type HouseholdFunds struct {
	Lines     []HouseholdFundLine // newest first
	MoneyFen  int64               // allocations not reversed
	InKindFen int64
}

// HouseholdFunds returns what the household and its persons received,
// over time, from every source — also what went to a household merged
// into it, and to its present members while they lived elsewhere; nil for
// an actor without FundsView.
func (s *Store) HouseholdFunds(ctx context.Context, a access.Actor, householdID int64) (*HouseholdFunds, error) {
	if !a.Can(access.FundsView) {
		return nil, nil
	}
	where, args := scopeCheck(a.Scope(access.Register), "h.place_code")
	out := &HouseholdFunds{}
	err := s.read(ctx, func(t *tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM households h WHERE h.id = ? AND `+where, append([]any{householdID}, args...)...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return safetynet.NotFound("户", "household")
		}
		rows, err := t.query(ctx, `SELECT e.id, s.id, s.name, s.kind, e.kind, e.target, e.item, COALESCE(m.zh, ''), COALESCE(m.en, ''), e.on_date,
			COALESCE(p.name, ''), ft.share_fen, EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = e.id)
			FROM fund_targets ft JOIN fund_entries e ON e.id = ft.entry_id JOIN fund_sources s ON s.id = e.source_id
			LEFT JOIN persons p ON p.id = ft.person_id LEFT JOIN measure_catalogue m ON m.code = e.measure
			WHERE ft.household_id = ? OR ft.household_id IN (SELECT id FROM households WHERE merged_into = ?)
			OR ft.person_id IN (SELECT id FROM persons WHERE household_id = ? AND status = 'active')
			ORDER BY e.on_date DESC, e.id DESC, p.id LIMIT 500`, householdID, householdID, householdID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l HouseholdFundLine
			var on string
			if err := rows.Scan(&l.EntryID, &l.SourceID, &l.SourceName, &l.SourceKind, &l.Kind, &l.Target, &l.Item, &l.MeasureZH, &l.MeasureEN,
				&on, &l.PersonName, &l.ShareFen, &l.Reversed); err != nil {
				return err
			}
			l.On, _ = funds.ParseDay(on)
			if !l.Reversed {
				if l.Kind == funds.InKind {
					out.InKindFen += l.ShareFen
				} else {
					out.MoneyFen += l.ShareFen
				}
			}
			out.Lines = append(out.Lines, l)
		}
		return rows.Err()
	})
	if err != nil {
		if safetynet.AsError(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("sqlstore: household funds: %w", err)
	}
	return out, nil
}

// FundEntrySource returns the source of an entry the actor sees.
func (s *Store) FundEntrySource(ctx context.Context, a access.Actor, entryID int64) (int64, error) {
	if err := a.Require(access.FundsView); err != nil {
		return 0, err
	}
	where, args := fundsVisible(a, "place_code")
	var id int64
	err := s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT source_id FROM fund_entries WHERE id = ? AND `+where, append([]any{entryID}, args...)...).Scan(&id)
	})
	if isNoRows(err) {
		return 0, safetynet.NotFound("记账记录", "ledger entry")
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: fund entry: %w", err)
	}
	return id, nil
}

// OpenFundAllocations lists the allocations of a source that can still be
// spent from (not reversed, not spent whole), newest first, at most 500:
// the spend form's choices, without reading the whole ledger.
func (s *Store) OpenFundAllocations(ctx context.Context, a access.Actor, sourceID int64) ([]FundEntry, error) {
	if err := a.Require(access.FundsView); err != nil {
		return nil, err
	}
	where, args := fundsVisible(a, "e.place_code")
	var out []FundEntry
	err := s.read(ctx, func(t *tx) error {
		var err error
		out, _, err = s.fundEntries(ctx, t, a, `e.id IN (SELECT fa.entry_id FROM fund_allocations fa WHERE fa.source_id = ? AND fa.reversed = 0
			AND fa.spent_fen < fa.amount_fen) AND `+where, append([]any{sourceID}, args...), 500)
		return err
	})
	return out, err
}
