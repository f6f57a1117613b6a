package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/register"
)

// Move moves active persons into another household; see register.Move.
type Move = register.Move

// MovePersons moves persons between households of the actor's scope. Their
// old memberships end and new ones start on the date; their history stays.
func (s *Store) MovePersons(ctx context.Context, a access.Actor, m Move) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	m, err := register.CheckMove(m, s.now())
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		to, err := s.householdInScope(ctx, t, a.Scope(access.Register), m.To, false)
		if err != nil {
			return err
		}
		if err := register.CheckMoveTarget(to); err != nil {
			return err
		}
		return s.movePersons(ctx, t, a, m, to)
	})
}

func (s *Store) movePersons(ctx context.Context, t *tx, a access.Actor, m Move, to safetynet.Household) error {
	from := map[int64]safetynet.Person{} // a person of each household left, to fix its head
	for _, pid := range m.Persons {
		p, err := s.personInScope(ctx, t, a.Scope(access.Register), pid, false)
		if err != nil {
			return err
		}
		if err := register.CheckMover(p, to); err != nil {
			return err
		}
		if err := s.endMembership(ctx, t, pid, m.Date, "moved"); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO memberships (person_id, household_id, relation, start_date) VALUES (?, ?, ?, ?)`,
			pid, to.ID, m.Relation, dateStr(m.Date)); err != nil {
			return fmt.Errorf("sqlstore: membership: %w", err)
		}
		text, err := t.searchText(ctx, p.Name, to.Address, to.PlaceCode)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE persons SET household_id = ?, place_code = ?, relation = ?, search_text = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, to.ID, to.PlaceCode, m.Relation, text,
			ms(s.now()), pid); err != nil {
			return fmt.Errorf("sqlstore: move person %d: %w", pid, err)
		}
		if _, err := t.exec(ctx, `UPDATE assignments SET household_id = ?, place_code = ? WHERE subject = 'person' AND subject_id = ?`,
			to.ID, to.PlaceCode, pid); err != nil {
			return fmt.Errorf("sqlstore: move categories: %w", err)
		}
		detail := map[string]any{"from": p.HouseholdID, "to": to.ID, "name": p.Name, "date": dateStr(m.Date)}
		if err := s.event(ctx, t, a, to.ID, pid, to.PlaceCode, "person.move", detail); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, p.HouseholdID, pid, p.PlaceCode, "person.leave", detail); err != nil {
			return err
		}
		if err := s.audit(ctx, t, a, auditRec{action: "person.move", objType: "person", objID: fmt.Sprint(pid), place: to.PlaceCode,
			detail: map[string]any{"from": p.HouseholdID, "to": to.ID}}); err != nil {
			return err
		}
		if _, seen := from[p.HouseholdID]; register.DecidesOldHousehold(p, seen) {
			from[p.HouseholdID] = p
		}
	}
	for _, p := range from {
		if err := s.replaceHead(ctx, t, a, p, m.NewHead); err != nil {
			return err
		}
	}
	return s.countMembers(ctx, t, to.ID)
}

// SplitHousehold makes a new household (分户) of some members of an
// existing one; head must be one of them. If the old head leaves,
// oldNewHead names the old household's new head.
func (s *Store) SplitHousehold(ctx context.Context, a access.Actor, fromID int64, members []int64, head int64, in safetynet.HouseholdInput, oldNewHead int64) (int64, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return 0, err
	}
	if err := register.CheckSplit(members, head); err != nil {
		return 0, err
	}
	in, err := safetynet.CheckHouseholdInput(in, s.now())
	if err != nil {
		return 0, err
	}
	phoneEnc, phoneIdx, err := s.seal(in.Phone, ctxHHPhone, idxPhone)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		from, err := s.householdInScope(ctx, t, a.Scope(access.Register), fromID, false)
		if err != nil {
			return err
		}
		for _, m := range members {
			var hh int64
			if err := t.queryRow(ctx, `SELECT household_id FROM persons WHERE id = ?`, m).Scan(&hh); err != nil {
				hh = 0 // not a person: not a member either
			}
			if err := register.CheckSplitMember(hh, fromID); err != nil {
				return err
			}
		}
		if _, err := s.registerPlace(ctx, t, a, in.PlaceCode); err != nil {
			return err
		}
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO households (number, place_code, address, phone_enc, phone_idx, income_year, income_fen,
			housing, water, notes, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 1, ?, ?) RETURNING id`,
			in.Number, in.PlaceCode, in.Address, phoneEnc, phoneIdx, in.IncomeYear, in.IncomeFen, in.Housing, in.Water, in.Notes,
			now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: insert household: %w", err)
		}
		to, err := s.householdInScope(ctx, t, rootScope, id, false)
		if err != nil {
			return err
		}
		if err := s.movePersons(ctx, t, a, Move{Persons: members, To: id, Relation: "other", Date: s.now(), NewHead: oldNewHead}, to); err != nil {
			return err
		}
		if err := s.makeHead(ctx, t, a, id, head); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, fromID, 0, from.PlaceCode, "household.split", map[string]any{"new_household": id, "members": len(members)}); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, id, 0, in.PlaceCode, "household.create", map[string]any{"split_from": fromID}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "household.split", objType: "household", objID: fmt.Sprint(fromID), place: from.PlaceCode,
			detail: map[string]any{"new_household": id, "members": members}})
	})
	return id, err
}

// MergeHouseholds moves every active member of household from into
// household into (合户) and marks from as merged. Its active categories
// end with the reason "changed".
func (s *Store) MergeHouseholds(ctx context.Context, a access.Actor, into, from int64) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	if err := register.CheckMerge(into, from); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		dst, err := s.householdInScope(ctx, t, a.Scope(access.Register), into, false)
		if err != nil {
			return err
		}
		src, err := s.householdInScope(ctx, t, a.Scope(access.Register), from, false)
		if err != nil {
			return err
		}
		if err := register.CheckMergeable(dst, src); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT id FROM persons WHERE household_id = ? AND status = 'active'`, from)
		if err != nil {
			return fmt.Errorf("sqlstore: members of %d: %w", from, err)
		}
		var members []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			members = append(members, id)
		}
		rows.Close()
		today := s.now()
		if len(members) > 0 {
			// The old head moves too: mark it so replaceHead finds an empty household.
			if err := s.movePersons(ctx, t, a, Move{Persons: members, To: into, Relation: "other", Date: today}, dst); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `UPDATE households SET status = 'merged', merged_into = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, into, ms(s.now()), from); err != nil {
			return fmt.Errorf("sqlstore: merge %d: %w", from, err)
		}
		if err := s.endAllCategories(ctx, t, a, safetynet.SubjectHousehold, from, today, register.MergeEndReason); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, from, 0, src.PlaceCode, "household.merge", map[string]any{"into": into}); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, into, 0, dst.PlaceCode, "household.absorb", map[string]any{"from": from, "members": len(members)}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "household.merge", objType: "household", objID: fmt.Sprint(from), place: src.PlaceCode,
			detail: map[string]any{"into": into}})
	})
}
