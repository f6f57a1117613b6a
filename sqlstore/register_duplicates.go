package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/register"
)

// StatusDuplicate marks a person found to be a second registration of
// another; the record stays, out of the active register.
const StatusDuplicate = "duplicate"

// DuplicatePair is two registrations that may be the same person: the same
// name and birth date. ID numbers cannot repeat (the register refuses
// them), so these are mostly people entered without an ID number or with
// a mistyped one.
type DuplicatePair struct {
	A, B safetynet.Person
}

// Duplicates lists undecided pairs of possible duplicates in the actor's
// scope.
func (s *Store) Duplicates(ctx context.Context, a access.Actor, limit int) ([]DuplicatePair, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	wa, argsA := registerScope(a, "pa.place_code")
	wb, argsB := registerScope(a, "pb.place_code")
	var out []DuplicatePair
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT pa.id, pb.id FROM persons pa JOIN persons pb
			ON pb.name = pa.name AND pb.birth_date = pa.birth_date AND pb.id > pa.id
			WHERE pa.birth_date <> '' AND pa.status = 'active' AND pb.status = 'active' AND `+wa+` AND `+wb+`
			AND NOT EXISTS (SELECT 1 FROM duplicate_reviews r WHERE r.person_a = pa.id AND r.person_b = pb.id)
			ORDER BY pa.id LIMIT ?`, append(append(argsA, argsB...), limit)...)
		if err != nil {
			return fmt.Errorf("sqlstore: duplicates: %w", err)
		}
		var pairs [][2]int64
		for rows.Next() {
			var p [2]int64
			if err := rows.Scan(&p[0], &p[1]); err != nil {
				rows.Close()
				return err
			}
			pairs = append(pairs, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range pairs {
			x, err := s.personInScope(ctx, t, rootScope, p[0], false)
			if err != nil {
				return err
			}
			y, err := s.personInScope(ctx, t, rootScope, p[1], false)
			if err != nil {
				return err
			}
			out = append(out, DuplicatePair{A: x, B: y})
		}
		return nil
	})
	return out, err
}

// DecideDuplicate records a human decision on a pair: "different" hides
// the pair for good; "same" keeps person keep and retires the other as a
// duplicate (its membership and categories end, its history stays).
func (s *Store) DecideDuplicate(ctx context.Context, a access.Actor, keep, other int64, decision, note string) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	lo, hi, err := register.CheckDuplicateDecision(keep, other, decision)
	if err != nil {
		return err
	}
	note, err = checkNote(note)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := s.personInScope(ctx, t, a.Scope(access.Register), keep, false); err != nil {
			return err
		}
		po, err := s.personInScope(ctx, t, a.Scope(access.Register), other, false)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO duplicate_reviews (person_a, person_b, decision, decided_by, decided_at, note)
			VALUES (?, ?, ?, ?, ?, ?)`, lo, hi, decision, a.Username, ms(s.now()), note)
		if classify(err) == errUnique {
			return safetynet.Conflict("decision", "这两人已经处理过了", "this pair was already decided")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: duplicate decision: %w", err)
		}
		if decision == register.DuplicateSame {
			if po.Status != safetynet.StatusActive {
				return safetynet.Invalid("other", "该人员已不在册", "the person is no longer active")
			}
			today := s.now()
			if _, err := t.exec(ctx, `UPDATE persons SET status = ?, status_date = ?, status_note = ?, version = version + 1, updated_at = ?
				WHERE id = ?`, StatusDuplicate, dateStr(today), fmt.Sprintf("duplicate of %d", keep), ms(today), other); err != nil {
				return fmt.Errorf("sqlstore: retire duplicate: %w", err)
			}
			if err := s.endMembership(ctx, t, other, today, "duplicate"); err != nil {
				return err
			}
			if err := s.endAllCategories(ctx, t, a, safetynet.SubjectPerson, other, today, "error"); err != nil {
				return err
			}
			// A duplicate heading a household with other members needs a new head first.
			if err := s.replaceHead(ctx, t, a, po, 0); err != nil {
				return err
			}
		}
		detail := map[string]any{"keep": keep, "other": other, "decision": decision}
		if err := s.event(ctx, t, a, po.HouseholdID, other, po.PlaceCode, "person.duplicate", detail); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "person.duplicate", objType: "person", objID: fmt.Sprint(other), place: po.PlaceCode, detail: detail})
	})
}
