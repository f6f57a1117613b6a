package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
)

// FundCandidate is a person who may be named in an allocation of a
// source: living in the source's area, seen by the actor.
type FundCandidate struct {
	PersonID    int64
	HouseholdID int64
	Name        string
	HeadName    string
	PlaceName   string
}

// FundCandidates finds persons by name (part of it) in the source's area,
// and the persons and households already chosen, for the allocation
// form's picker. At most 50 found.
func (s *Store) FundCandidates(ctx context.Context, a access.Actor, sourceID int64, q string, chosenPersons, chosenHouseholds []int64) (found, chosen []FundCandidate, err error) {
	if err := a.Require(access.FundsManage); err != nil {
		return nil, nil, err
	}
	q = strings.TrimSpace(q)
	reg, rargs := scopeCheck(a.Scope(access.Register), "h.place_code")
	const cols = `SELECT p.id, h.id, p.name, COALESCE(hp.name, ''), pl.name FROM persons p JOIN households h ON h.id = p.household_id
		LEFT JOIN persons hp ON hp.id = h.head_person_id JOIN places pl ON pl.code = h.place_code
		WHERE p.status = 'active' AND h.status = 'active' AND EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = h.place_code) AND `
	scan := func(t *tx, cond string, args ...any) ([]FundCandidate, error) {
		rows, err := t.query(ctx, cols+reg+` AND `+cond+` ORDER BY h.id, p.id LIMIT 50`, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []FundCandidate
		for rows.Next() {
			var c FundCandidate
			if err := rows.Scan(&c.PersonID, &c.HouseholdID, &c.Name, &c.HeadName, &c.PlaceName); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, rows.Err()
	}
	err = s.read(ctx, func(t *tx) error {
		var place string
		where, args := fundsVisible(a, "place_code")
		if err := t.queryRow(ctx, `SELECT place_code FROM fund_sources WHERE id = ? AND `+where, append([]any{sourceID}, args...)...).Scan(&place); isNoRows(err) {
			return safetynet.NotFound("资金来源", "fund source")
		} else if err != nil {
			return err
		}
		base := append([]any{place}, rargs...)
		if q != "" {
			if found, err = scan(t, `p.name LIKE ? ESCAPE '\'`, append(base, "%"+likeEscape(q)+"%")...); err != nil {
				return err
			}
		}
		ids := func(col string, l []int64) (string, []any) {
			if len(l) > 500 {
				l = l[:500]
			}
			args := append([]any{}, base...)
			for _, id := range l {
				args = append(args, id)
			}
			return col + " IN (?" + strings.Repeat(", ?", len(l)-1) + ")", args
		}
		if len(chosenPersons) > 0 {
			cond, args := ids("p.id", chosenPersons)
			l, err := scan(t, cond, args...)
			if err != nil {
				return err
			}
			chosen = append(chosen, l...)
		}
		if len(chosenHouseholds) > 0 {
			cond, args := ids("h.id", chosenHouseholds)
			l, err := scan(t, cond+" AND p.id = h.head_person_id", args...)
			if err != nil {
				return err
			}
			chosen = append(chosen, l...)
		}
		return nil
	})
	if err != nil && safetynet.AsError(err) == nil {
		err = fmt.Errorf("sqlstore: fund candidates: %w", err)
	}
	return found, chosen, err
}
