package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"safetynet"
)

// An import of a whole ledger is mostly new households. Asking the
// database about each of them, and inserting each row on its own, made a
// 100,000-row import on PostgreSQL hundreds of round trips per second
// away from what COPY does. So the import:
//   - asks once, in chunks, which of the file's ID numbers and household
//     numbers are registered at all (prefetch); a row whose numbers are
//     unknown is new without a query, and only rows that may match a
//     stored household take the row-by-row path;
//   - keeps the households it creates in memory (pending) and writes them
//     with insertRows — households, persons, memberships, categories and
//     every timeline event, in the import's transaction — before any
//     row-by-row query (so that query sees them), every
//     pendingFlushPersons persons, and at the end.
//
// The outcome is the same as writing each household when its row is met:
// the unknown numbers stay unknown during the import, because a number
// the import itself writes is one of the file's, and a second use of it in
// the file is an error found before any lookup.

// pendingFlushPersons bounds the persons kept in memory before a write.
const pendingFlushPersons = 20000

// lookupChunk is the number of values in one prefetch query.
const lookupChunk = 500

// pendingHousehold is a new household waiting to be written.
type pendingHousehold struct {
	lh                 *safetynet.LedgerHousehold
	phoneEnc, phoneIdx []byte
	sealed             []sealedPerson
	cats               []safetynet.NewAssignment   // the household's
	memberCats         [][]safetynet.NewAssignment // each member's
}

// prefetch finds which of the file's ID numbers and household numbers
// are registered (anywhere, in any state): those rows take the
// row-by-row lookups, which apply the actor's scope.
func (im *ledgerImport) prefetch(ctx context.Context, hhs []safetynet.LedgerHousehold) error {
	im.idx = map[int][]byte{}
	im.knownIDs, im.knownNumbers = map[string]bool{}, map[string]bool{}
	var idxs []any
	var numbers []any
	for _, h := range hhs {
		if h.Household.Number != "" {
			numbers = append(numbers, h.Household.Number)
		}
		for _, m := range h.Members {
			if m.Person.IDNumber == "" {
				continue
			}
			idx, err := im.s.blindIndex(m.Person.IDNumber, idxIDNumber)
			if err != nil {
				return err
			}
			im.idx[m.Row] = idx
			idxs = append(idxs, idx)
		}
	}
	if err := im.t.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM households`).Scan(&im.lastHousehold); err != nil {
		return fmt.Errorf("sqlstore: import: %w", err)
	}
	if err := im.known(ctx, "SELECT id_idx FROM persons WHERE id_idx", idxs, func(b []byte) { im.knownIDs[string(b)] = true }); err != nil {
		return err
	}
	return im.known(ctx, "SELECT number FROM households WHERE number", numbers, func(b []byte) { im.knownNumbers[string(b)] = true })
}

// known runs q (ending with the column compared) for values, in chunks:
// "IN (?, ?, …)" on SQLite; "= ANY(?)" with one array on PostgreSQL, so
// that a chunk is one parameter rather than hundreds to plan.
func (im *ledgerImport) known(ctx context.Context, q string, values []any, add func([]byte)) error {
	chunk := lookupChunk
	if im.t.d.name == "postgres" {
		chunk = 20 * lookupChunk
	}
	for start := 0; start < len(values); start += chunk {
		part := values[start:min(start+chunk, len(values))]
		var rows *sql.Rows
		var err error
		if im.t.d.name == "postgres" {
			rows, err = im.t.query(ctx, q+" = ANY(?)", pgArray(part))
		} else {
			rows, err = im.t.query(ctx, q+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")+")", part...)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: import lookup: %w", err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return err
			}
			add(b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlstore: import lookup: %w", err)
		}
	}
	return nil
}

// pgArray turns values, all []byte or all string, into the typed slice
// pgx sends as one bytea[] or text[] parameter.
func pgArray(values []any) any {
	if len(values) > 0 {
		if _, ok := values[0].(string); ok {
			out := make([]string, len(values))
			for i, v := range values {
				out[i] = v.(string)
			}
			return out
		}
	}
	out := make([][]byte, len(values))
	for i, v := range values {
		out[i] = v.([]byte)
	}
	return out
}

// createHousehold queues a new household, counting it in the report.
func (im *ledgerImport) createHousehold(ctx context.Context, lh *safetynet.LedgerHousehold) error {
	if im.dry {
		im.rep.Households.Created++
		im.rep.Persons.Created += len(lh.Members)
		for _, m := range lh.Members {
			if _, err := im.newCategoryList(safetynet.SubjectPerson, m.Row, m.Categories); err != nil {
				return err
			}
		}
		_, err := im.newCategoryList(safetynet.SubjectHousehold, lh.Row, lh.Categories)
		return err
	}
	ph := pendingHousehold{lh: lh, sealed: make([]sealedPerson, len(lh.Members)), memberCats: make([][]safetynet.NewAssignment, len(lh.Members))}
	var err error
	if ph.phoneEnc, ph.phoneIdx, err = im.s.seal(lh.Household.Phone, ctxHHPhone, idxPhone); err != nil {
		return err
	}
	for i, m := range lh.Members {
		if ph.sealed[i], err = im.s.sealPerson(m.Person); err != nil {
			return err
		}
		im.rep.Persons.Created++
		if ph.memberCats[i], err = im.newCategoryList(safetynet.SubjectPerson, m.Row, m.Categories); err != nil {
			return err
		}
	}
	if ph.cats, err = im.newCategoryList(safetynet.SubjectHousehold, lh.Row, lh.Categories); err != nil {
		return err
	}
	im.rep.Households.Created++
	im.pending = append(im.pending, ph)
	if im.pendingPersons += len(lh.Members); im.pendingPersons >= pendingFlushPersons {
		return im.flush(ctx)
	}
	return nil
}

// newCategoryList checks the categories of a new subject: of those of one
// exclusive group the file lists, the last wins. Invalid ones are row
// errors.
func (im *ledgerImport) newCategoryList(subject safetynet.Subject, row int, cats []safetynet.NewAssignment) ([]safetynet.NewAssignment, error) {
	today := im.s.now()
	var out []safetynet.NewAssignment
	for i, c := range cats {
		cat, err := safetynet.CheckNewAssignment(subject, c, today)
		if err != nil {
			if e := im.failErr(row, err); e != nil {
				return nil, e
			}
			continue
		}
		later := false
		for _, d := range cats[i+1:] {
			other, _ := safetynet.CategoryByCode(d.Category)
			later = later || d.Category == c.Category && d.RiskType == c.RiskType || cat.Group != "" && other.Group == cat.Group
		}
		if later {
			continue
		}
		c.Source = "import"
		out = append(out, c)
		im.rep.Categories++
	}
	return out, nil
}

var (
	householdBulkCols  = []string{"id", "number", "place_code", "address", "phone_enc", "phone_idx", "head_person_id", "member_count", "income_year", "income_fen", "housing", "water", "notes", "status", "version", "created_at", "updated_at"}
	personBulkCols     = []string{"id", "household_id", "place_code", "relation", "name", "id_enc", "id_idx", "id_legacy", "birth_date", "sex", "phone_enc", "phone_idx", "disability_kind", "disability_grade", "health", "health_notes", "education", "in_school", "labour", "work", "status", "search_text", "version", "created_at", "updated_at"}
	membershipBulkCols = []string{"person_id", "household_id", "relation", "start_date"}
	assignmentBulkCols = []string{"subject", "subject_id", "household_id", "place_code", "category", "risk_type", "start_date", "start_reason", "source", "created_by", "created_at"}
	eventBulkCols      = []string{"at", "household_id", "person_id", "place_code", "kind", "detail", "user_id", "username"}
)

// flush writes the pending households, as createHousehold one by one
// would: the same rows, the same events in the same order.
func (im *ledgerImport) flush(ctx context.Context) error {
	if len(im.pending) == 0 {
		return nil
	}
	pending := im.pending
	im.pending, im.pendingPersons = nil, 0
	if im.dry {
		return nil // counted when queued
	}
	np := 0
	for _, ph := range pending {
		np += len(ph.lh.Members)
	}
	hids, err := im.t.allocIDs(ctx, "households", len(pending))
	if err != nil {
		return err
	}
	pids, err := im.t.allocIDs(ctx, "persons", np)
	if err != nil {
		return err
	}
	now := ms(im.s.now())
	today := dateStr(im.s.now())
	a := im.a
	hRows := make([][]any, 0, len(pending))
	pRows := make([][]any, 0, np)
	mRows := make([][]any, 0, np)
	var aRows [][]any
	eRows := make([][]any, 0, np+len(pending))
	event := func(hh, person int64, place, kind string, detail map[string]any) error {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("sqlstore: event detail: %w", err)
		}
		eRows = append(eRows, []any{now, hh, person, place, kind, string(b), a.UserID, a.Username})
		return nil
	}
	assign := func(subject safetynet.Subject, id, hh int64, place string, c safetynet.NewAssignment) error {
		aRows = append(aRows, []any{string(subject), id, hh, place, c.Category, c.RiskType, dateStr(c.Start), c.Reason, c.Source, a.Username, now})
		person := int64(0)
		if subject == safetynet.SubjectPerson {
			person = id
		}
		return event(hh, person, place, "category.add", map[string]any{"category": c.Category, "risk_type": c.RiskType,
			"start": dateStr(c.Start), "reason": c.Reason, "source": c.Source})
	}
	k := 0
	for i, ph := range pending {
		in, id := ph.lh.Household, hids[i]
		keys, err := im.t.scopeKeys(ctx, in.PlaceCode)
		if err != nil {
			return err
		}
		var head int64
		for j, m := range ph.lh.Members {
			pid, p, sp := pids[k], m.Person, ph.sealed[j]
			k++
			if p.Relation == "head" && head == 0 {
				head = pid
			}
			pRows = append(pRows, []any{pid, id, in.PlaceCode, p.Relation, p.Name, sp.idEnc, sp.idIdx, boolInt(m.Legacy), dateStr(p.Birth), p.Sex,
				sp.phoneEnc, sp.phoneIdx, p.DisabilityKind, p.DisabilityGrade, p.Health, p.HealthNotes, p.Education, boolInt(p.InSchool),
				p.Labour, p.Work, "active", buildSearchText(p.Name, in.Address, keys), 1, now, now})
			mRows = append(mRows, []any{pid, id, p.Relation, today})
			if err := event(id, pid, in.PlaceCode, "person.add", map[string]any{"name": p.Name, "source": "import", "row": m.Row}); err != nil {
				return err
			}
			for _, c := range ph.memberCats[j] {
				if err := assign(safetynet.SubjectPerson, pid, id, in.PlaceCode, c); err != nil {
					return err
				}
			}
		}
		hRows = append(hRows, []any{id, in.Number, in.PlaceCode, in.Address, ph.phoneEnc, ph.phoneIdx, head, len(ph.lh.Members),
			in.IncomeYear, in.IncomeFen, in.Housing, in.Water, in.Notes, "active", 1, now, now})
		if err := event(id, head, in.PlaceCode, "household.create", map[string]any{"source": "import", "row": ph.lh.Row}); err != nil {
			return err
		}
		for _, c := range ph.cats {
			if err := assign(safetynet.SubjectHousehold, id, id, in.PlaceCode, c); err != nil {
				return err
			}
		}
	}
	for _, b := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"households", householdBulkCols, hRows},
		{"persons", personBulkCols, pRows},
		{"memberships", membershipBulkCols, mRows},
		{"assignments", assignmentBulkCols, aRows},
		{"events", eventBulkCols, eRows},
		{"screening_queue", []string{"household_id", "queued_at"}, screeningQueueRows(hRows, now)},
	} {
		if err := im.t.insertRows(ctx, b.table, b.cols, b.rows); err != nil {
			if classify(err) == errUnique {
				return safetynet.Conflict("id_number", "该身份证号已登记", "this ID number is already registered")
			}
			return fmt.Errorf("sqlstore: import: %w", err)
		}
	}
	return nil
}

// screeningQueueRows queues the imported households for screening.
func screeningQueueRows(hRows [][]any, now int64) [][]any {
	out := make([][]any, len(hRows))
	for i, r := range hRows {
		out[i] = []any{r[0], now}
	}
	return out
}
