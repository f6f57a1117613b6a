package sqlstore

import (
	"context"
	"fmt"
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

// ExportLedger streams the active members of active households of the
// actor's scope, household by household (head first), to fn. ID and phone
// numbers are masked unless the filter asks to reveal them and the actor
// may. The export is audited with its filter and size.
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
	conds := []string{where, "h.status = 'active'", "p.status = 'active'"}
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
	n := 0
	err := s.read(ctx, func(t *tx) error {
		hcats, pcats, err := s.scopeAssignments(ctx, t, a, f.PlaceCode)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+personCols+`, `+householdCols+` FROM persons p JOIN households h ON h.id = p.household_id
			JOIN places pl ON pl.code = h.place_code WHERE `+strings.Join(conds, " AND ")+`
			ORDER BY h.id, CASE WHEN p.id = h.head_person_id THEN 0 ELSE 1 END, p.id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: export: %w", err)
		}
		defer rows.Close()
		var h safetynet.Household
		for rows.Next() {
			var hh safetynet.Household
			var phone []byte
			var created, updated int64
			p, err := s.scanPerson(rows, f.Reveal, &hh.ID, &hh.Number, &hh.PlaceCode, &hh.PlaceName, &hh.Address, &phone,
				&hh.HeadID, &hh.HeadName, &hh.Members, &hh.IncomeYear, &hh.IncomeFen, &hh.Housing, &hh.Water, &hh.Notes, &hh.Status,
				&hh.MergedInto, &hh.Version, &created, &updated)
			if err != nil {
				return fmt.Errorf("sqlstore: export: %w", err)
			}
			if hh.ID != h.ID {
				h = hh
				if h.Phone, err = s.unseal(phone, ctxHHPhone); err != nil {
					return err
				}
				if !f.Reveal {
					h.Phone = safetynet.MaskPhone(h.Phone)
				}
				h.Categories = hcats[h.ID]
			}
			p.Categories = pcats[p.ID]
			if err := fn(&h, &p); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	})
	if err != nil {
		return n, err
	}
	return n, s.RecordView(ctx, a, "register.export", "export", "", "", map[string]any{
		"place_code": f.PlaceCode, "category": f.Category, "reveal": f.Reveal, "rows": n})
}

// scopeAssignments loads the active assignments of the actor's scope (or
// of a place of it), by household and by person.
func (s *Store) scopeAssignments(ctx context.Context, t *tx, a access.Actor, place string) (hh, pp map[int64][]safetynet.Assignment, err error) {
	where, args := registerScope(a, "place_code")
	q := `SELECT ` + assignmentCols + ` FROM assignments WHERE end_date = '' AND ` + where
	if place != "" {
		q += " AND place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"
		args = append(args, place)
	}
	rows, err := t.query(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: export categories: %w", err)
	}
	defer rows.Close()
	hh, pp = map[int64][]safetynet.Assignment{}, map[int64][]safetynet.Assignment{}
	for rows.Next() {
		x, err := scanAssignment(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("sqlstore: export categories: %w", err)
		}
		if x.Subject == safetynet.SubjectHousehold {
			hh[x.SubjectID] = append(hh[x.SubjectID], x)
		} else {
			pp[x.SubjectID] = append(pp[x.SubjectID], x)
		}
	}
	return hh, pp, rows.Err()
}
