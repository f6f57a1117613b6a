package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"safetynet"
	"safetynet/access"
)

// ImportLedger matches ledger households against the register and saves
// them, all or nothing:
//   - a household is the same as a stored one if its household number
//     (户编号) or its head's ID number is already registered in the
//     actor's scope; otherwise it is new;
//   - a person with an ID number is the stored person with that number,
//     who must belong to that same household: an ID registered in another
//     household, or twice in the file, is an error for a human to decide,
//     never merged silently; a person without an ID number matches a
//     member of the same name; two households of the file that match one
//     stored household are an error too;
//   - changed fields are updated and listed in the report; categories the
//     ledger gives are added if not held (the three monitored kinds
//     replace each other), never ended by an import.
//
// Any row error rolls everything back and the report lists every error.
// A dry run makes the same decisions on a snapshot of the register and
// writes nothing, so the report is exactly what the import would do: the
// import's own writes never change what a later row of the file matches
// (see register_import_bulk.go). Importing the same file twice changes
// nothing the second time.
func (s *Store) ImportLedger(ctx context.Context, a access.Actor, hhs []safetynet.LedgerHousehold, opt LedgerOptions) (safetynet.LedgerReport, error) {
	dryRun := opt.DryRun
	rep := safetynet.LedgerReport{DryRun: dryRun}
	for _, h := range hhs {
		rep.Rows += len(h.Members)
	}
	if err := a.Require(access.RegisterImport); err != nil {
		return rep, err
	}
	if s.keys == nil {
		return rep, errNoKeys
	}
	run := func(t *tx) error {
		im := &ledgerImport{s: s, t: t, a: a, rep: &rep, places: map[string]error{}, progress: opt.Progress, dry: dryRun}
		if err := im.run(ctx, hhs); err != nil {
			return err
		}
		if len(rep.Errors) > 0 {
			sort.SliceStable(rep.Errors, func(i, j int) bool { return rep.Errors[i].Row < rep.Errors[j].Row })
			return importFailed(len(rep.Errors))
		}
		if dryRun {
			return nil // nothing written, nothing to record
		}
		if err := s.audit(ctx, t, a, auditRec{action: "register.import", objType: "import", place: a.Place, detail: map[string]any{
			"rows": rep.Rows, "households": rep.Households, "persons": rep.Persons, "categories": rep.Categories, "dry_run": dryRun}}); err != nil {
			return err
		}
		if opt.ImportID != 0 {
			b, err := json.Marshal(rep)
			if err != nil {
				return err
			}
			return s.markImportCommitted(ctx, t, opt.ImportID, opt.Mapping, string(b))
		}
		return nil
	}
	var err error
	if dryRun {
		// A dry run reads a snapshot and writes nothing: on SQLite it does not
		// hold the single writer, so other users' writes go on meanwhile.
		err = s.snapshot(ctx, run)
	} else {
		err = s.write(ctx, run)
	}
	return rep, err
}

// LedgerOptions say how to run a ledger import.
type LedgerOptions struct {
	DryRun bool
	// ImportID, if set, is the import record marked committed, with
	// Mapping and the report, in the same transaction.
	ImportID int64
	Mapping  string
	// Progress, if set, is told how many households are done, every few
	// hundred, from inside the transaction (before anything is committed).
	Progress func(done, total int)
}

// ledgerImport is the state of one import inside its transaction.
type ledgerImport struct {
	s       *Store
	t       *tx
	a       access.Actor
	rep     *safetynet.LedgerReport
	places  map[string]error // checked places and their verdict
	seen    map[string]int   // ID blind index → first row in the file
	numbers map[string]int   // household number → first row in the file

	// See register_import_bulk.go.
	idx                    map[int][]byte  // row → blind index of its ID number
	knownIDs, knownNumbers map[string]bool // registered before the import
	pending                []pendingHousehold
	pendingPersons         int
	lastHousehold          int64         // the newest household before the import
	targets                map[int64]int // stored household → the file's row that matched it
	dry                    bool          // a dry run: decide and count, write nothing

	progress func(done, total int)
}

func (im *ledgerImport) fail(row int, field, zh, en string) {
	if len(im.rep.Errors) < safetynet.MaxImportErrors {
		im.rep.Errors = append(im.rep.Errors, safetynet.RowError{Row: row, Field: field, ZH: zh, EN: en})
	}
}

func (im *ledgerImport) failErr(row int, err error) error {
	e := safetynet.AsError(err)
	if e == nil {
		return err
	}
	im.fail(row, e.Field, e.ZH, e.EN)
	return nil
}

func (im *ledgerImport) run(ctx context.Context, hhs []safetynet.LedgerHousehold) error {
	im.seen, im.numbers, im.targets = map[string]int{}, map[string]int{}, map[int64]int{}
	if err := im.prefetch(ctx, hhs); err != nil {
		return err
	}
	for i := range hhs {
		if err := im.household(ctx, &hhs[i]); err != nil {
			return err
		}
		if im.progress != nil && (i+1)%500 == 0 {
			im.progress(i+1, len(hhs))
		}
	}
	return im.flush(ctx)
}

// storedPerson is a stored person matched by ID number.
type storedPerson struct {
	safetynet.Person
	inScope bool
}

func (im *ledgerImport) lookupID(ctx context.Context, idx []byte) (*storedPerson, error) {
	where, args := scopeCheck(im.a.Scope(access.Register), "p.place_code")
	var in int
	p, err := im.s.scanPerson(im.t.queryRow(ctx, `SELECT `+personCols+`, CASE WHEN `+where+` THEN 1 ELSE 0 END
		FROM persons p WHERE p.id_idx = ?`, append(args, idx)...), true, &in)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: import ID lookup: %w", err)
	}
	return &storedPerson{Person: p, inScope: in == 1}, nil
}

func (im *ledgerImport) checkPlace(ctx context.Context, code string) error {
	if err, ok := im.places[code]; ok {
		return err
	}
	_, err := im.s.registerPlace(ctx, im.t, im.a, code)
	if err != nil && safetynet.AsError(err) == nil {
		return err
	}
	im.places[code] = err
	return err
}

// household matches and saves one ledger household.
func (im *ledgerImport) household(ctx context.Context, lh *safetynet.LedgerHousehold) error {
	if err := im.checkPlace(ctx, lh.Household.PlaceCode); err != nil {
		return im.failErr(lh.Row, err)
	}
	if n := lh.Household.Number; n != "" {
		if first, dup := im.numbers[n]; dup {
			im.fail(lh.Row, "number", fmt.Sprintf("户编号与第%d行的家庭重复", first), fmt.Sprintf("the household number repeats the household of row %d", first))
			return nil
		}
		im.numbers[n] = lh.Row
	}
	// Match every member with an ID number first; all must agree on one household.
	stored := make([]*storedPerson, len(lh.Members))
	var target int64
	ok := true
	for i, m := range lh.Members {
		if m.Person.IDNumber == "" {
			continue
		}
		idx := im.idx[m.Row]
		if first, dup := im.seen[string(idx)]; dup {
			im.fail(m.Row, "id_number", fmt.Sprintf("身份证号与第%d行重复", first), fmt.Sprintf("the ID number repeats row %d", first))
			ok = false
			continue
		}
		im.seen[string(idx)] = m.Row
		if !im.knownIDs[string(idx)] {
			continue // not registered: no lookup needed
		}
		if err := im.flush(ctx); err != nil {
			return err
		}
		sp, err := im.lookupID(ctx, idx)
		if err != nil {
			return err
		}
		if sp == nil {
			continue
		}
		if !sp.inScope {
			im.fail(m.Row, "id_number", "该身份证号已在其他地区登记，请联系上级民政部门核实",
				"this ID number is registered in another area: ask the county civil-affairs office")
			ok = false
			continue
		}
		stored[i] = sp
		if target == 0 {
			target = sp.HouseholdID
		} else if sp.HouseholdID != target {
			im.fail(m.Row, "id_number", fmt.Sprintf("%s 已登记在另一个家庭（家庭编号 %d），与本户其他成员不一致，请人工核实", sp.Name, sp.HouseholdID),
				fmt.Sprintf("%s is registered in another household (%d) than the other members: check by hand", sp.Name, sp.HouseholdID))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	if target == 0 && im.knownNumbers[lh.Household.Number] {
		if err := im.flush(ctx); err != nil {
			return err
		}
		id, err := im.householdByNumber(ctx, lh.Household.Number)
		if err != nil {
			return err
		}
		target = id
	}
	if target == 0 && lh.Household.Number == "" && len(lh.Members) > 0 && lh.Members[0].Person.IDNumber == "" {
		// No number and no ID: the household whose head has this name at
		// this place, if there is exactly one (a re-imported masked export).
		id, err := im.householdByHead(ctx, lh.Members[0].Person.Name, lh.Household.PlaceCode)
		if err != nil {
			return err
		}
		target = id
	}
	if target == 0 {
		return im.createHousehold(ctx, lh)
	}
	if first, twice := im.targets[target]; twice {
		im.fail(lh.Row, "number", fmt.Sprintf("与第%d行是登记中的同一个家庭，请合并为一户", first),
			fmt.Sprintf("this is the same registered household as row %d: list it once", first))
		return nil
	}
	im.targets[target] = lh.Row
	return im.updateHousehold(ctx, *lh, target, stored)
}

func (im *ledgerImport) householdByNumber(ctx context.Context, number string) (int64, error) {
	where, args := scopeCheck(im.a.Scope(access.Register), "h.place_code")
	var id int64
	err := im.t.queryRow(ctx, `SELECT h.id FROM households h WHERE h.number = ? AND h.status = 'active' AND `+where+` ORDER BY h.id LIMIT 1`,
		append([]any{number}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: household number: %w", err)
	}
	return id, nil
}

// householdByHead finds the one active household of place whose head has
// name, registered before this import (two households of the file are two
// households); none or several give 0.
func (im *ledgerImport) householdByHead(ctx context.Context, name, place string) (int64, error) {
	rows, err := im.t.query(ctx, `SELECT h.id FROM households h JOIN persons p ON p.id = h.head_person_id
		WHERE p.name = ? AND h.place_code = ? AND h.status = 'active' AND h.id <= ? LIMIT 2`, name, place, im.lastHousehold)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: household by head: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		ids = append(ids, id)
	}
	if len(ids) != 1 {
		return 0, rows.Err()
	}
	return ids[0], rows.Err()
}
