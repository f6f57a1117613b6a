package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"safetynet"
	"safetynet/access"
)

// ExportFilter selects what an export holds.
type ExportFilter struct {
	PlaceCode string // a place of the actor's scope; empty for the whole scope
	Category  string // households holding this category now (or with a member holding it)
	Reveal    bool   // full ID and phone numbers; needs the reveal permission
}

// exportChunk is how many households an export reads at a time: memory
// stays flat however large the export.
const exportChunk = 500

// ExportLedger streams the active members of active households of the
// actor's scope, household by household (head first), to fn. ID and phone
// numbers are masked unless the filter asks to reveal them and the actor
// may. The export reads one consistent snapshot, in chunks of households,
// and is audited with its filter and size.
func (s *Store) ExportLedger(ctx context.Context, a access.Actor, f ExportFilter, fn func(h *safetynet.Household, p *safetynet.Person) error) (int, error) {
	if err := a.Require(access.RegisterExport); err != nil {
		return 0, err
	}
	if f.Reveal {
		if err := a.Require(access.IdentityReveal); err != nil {
			return 0, err
		}
	}
	where, args := registerScope(a, "h.place_code")
	conds := []string{where, "h.status = 'active'"}
	if f.PlaceCode != "" {
		conds, args = append(conds, "h.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.PlaceCode)
	}
	if f.Category != "" {
		if _, ok := safetynet.CategoryByCode(f.Category); !ok {
			return 0, safetynet.Invalid("category", "类别无效：%s", "unknown category %q", f.Category)
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM assignments x WHERE x.household_id = h.id AND x.category = ? AND x.end_date = '')")
		args = append(args, f.Category)
	}
	idQuery := `SELECT h.id FROM households h WHERE ` + strings.Join(conds, " AND ") + ` AND h.id > ? ORDER BY h.id LIMIT ?`
	n := 0
	err := s.read(ctx, func(t *tx) error {
		for after := int64(0); ; {
			ids, err := queryIDs(ctx, t, idQuery, append(append([]any{}, args...), after, exportChunk)...)
			if err != nil {
				return fmt.Errorf("sqlstore: export: %w", err)
			}
			if len(ids) == 0 {
				return nil
			}
			after = ids[len(ids)-1]
			k, err := s.exportHouseholds(ctx, t, ids, f.Reveal, fn)
			n += k
			if err != nil {
				return err
			}
		}
	})
	if err != nil {
		return n, err
	}
	return n, s.RecordView(ctx, a, "register.export", "export", "", "", map[string]any{
		"place_code": f.PlaceCode, "category": f.Category, "reveal": f.Reveal, "rows": n})
}

// exportHouseholds sends the active members of the households ids.
func (s *Store) exportHouseholds(ctx context.Context, t *tx, ids []int64, reveal bool, fn func(*safetynet.Household, *safetynet.Person) error) (int, error) {
	in := placeholders(len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	households := make(map[int64]*safetynet.Household, len(ids))
	rows, err := t.query(ctx, `SELECT `+householdCols+householdFrom+`WHERE h.id IN (`+in+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: export households: %w", err)
	}
	for rows.Next() {
		h, err := s.scanHousehold(rows, reveal)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqlstore: export households: %w", err)
		}
		households[h.ID] = &h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	hcats, pcats := map[int64][]safetynet.Assignment{}, map[int64][]safetynet.Assignment{}
	rows, err = t.query(ctx, `SELECT `+assignmentCols+` FROM assignments WHERE end_date = '' AND household_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: export categories: %w", err)
	}
	for rows.Next() {
		x, err := scanAssignment(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqlstore: export categories: %w", err)
		}
		if x.Subject == safetynet.SubjectHousehold {
			hcats[x.SubjectID] = append(hcats[x.SubjectID], x)
		} else {
			pcats[x.SubjectID] = append(pcats[x.SubjectID], x)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows, err = t.query(ctx, `SELECT `+personCols+` FROM persons p WHERE p.status = 'active' AND p.household_id IN (`+in+`)
		ORDER BY p.household_id, p.id`, args...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: export persons: %w", err)
	}
	defer rows.Close()
	byHousehold := map[int64][]safetynet.Person{}
	for rows.Next() {
		p, err := s.scanPerson(rows, reveal)
		if err != nil {
			return 0, fmt.Errorf("sqlstore: export persons: %w", err)
		}
		p.Categories = pcats[p.ID]
		byHousehold[p.HouseholdID] = append(byHousehold[p.HouseholdID], p)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		h := households[id]
		if h == nil {
			continue
		}
		h.Categories = hcats[id]
		members := byHousehold[id]
		sort.SliceStable(members, func(i, j int) bool { return members[i].ID == h.HeadID && members[j].ID != h.HeadID })
		for i := range members {
			if err := fn(h, &members[i]); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// queryIDs runs a query of one integer column.
func queryIDs(ctx context.Context, t *tx, q string, args ...any) ([]int64, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
