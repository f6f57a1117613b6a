package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/rules"
)

// ruleHousehold is a household loaded for screening with its place.
type ruleHousehold struct {
	rules.Household
	place string
}

// idList renders ids as an IN list of placeholders with its arguments.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// loadRuleHouseholds reads the active households whose id is in ids, with
// their persons, categories and measures in force at day, as rules see
// them. Nothing secret is read: IDs and phones stay sealed.
func (s *Store) loadRuleHouseholds(ctx context.Context, t *tx, ids []int64, day time.Time) ([]ruleHousehold, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := idList(ids)
	rows, err := t.query(ctx, `SELECT id, place_code, income_year, income_fen, housing, water FROM households
		WHERE status = 'active' AND id IN `+in+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: households to screen: %w", err)
	}
	var hs []safetynet.Household
	idx := map[int64]int{}
	for rows.Next() {
		var h safetynet.Household
		if err := rows.Scan(&h.ID, &h.PlaceCode, &h.IncomeYear, &h.IncomeFen, &h.Housing, &h.Water); err != nil {
			rows.Close()
			return nil, err
		}
		idx[h.ID] = len(hs)
		hs = append(hs, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(hs) == 0 {
		return nil, err
	}
	in, args = idList(ids)
	persons := make([][]safetynet.Person, len(hs))
	pidx := map[int64][2]int{}
	// Persons are mostly numbered household by household: when the ids of
	// the chunk's persons are dense, one range scan of the table reads them
	// faster than a look-up per household (others in the range are skipped).
	const personCols = `SELECT id, household_id, relation, birth_date, sex, disability_kind, disability_grade, health,
		education, in_school, labour, status FROM persons WHERE `
	var lo, hi, n int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), COUNT(*) FROM persons WHERE household_id IN `+in,
		args...).Scan(&lo, &hi, &n); err != nil {
		return nil, fmt.Errorf("sqlstore: persons to screen: %w", err)
	}
	if n > 0 && hi-lo < 2*n+64 {
		rows, err = t.query(ctx, personCols+`id BETWEEN ? AND ?`, lo, hi)
	} else {
		rows, err = t.query(ctx, personCols+`household_id IN `+in, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: persons to screen: %w", err)
	}
	for rows.Next() {
		var p safetynet.Person
		var birth string
		var school int
		if err := rows.Scan(&p.ID, &p.HouseholdID, &p.Relation, &birth, &p.Sex, &p.DisabilityKind, &p.DisabilityGrade, &p.Health,
			&p.Education, &school, &p.Labour, &p.Status); err != nil {
			rows.Close()
			return nil, err
		}
		p.Birth, p.InSchool = parseDate(birth), school == 1
		if i, ok := idx[p.HouseholdID]; ok {
			pidx[p.ID] = [2]int{i, len(persons[i])}
			persons[i] = append(persons[i], p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.query(ctx, `SELECT subject, subject_id, household_id, category FROM assignments
		WHERE household_id IN `+in+` AND end_date = ''`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: categories to screen: %w", err)
	}
	for rows.Next() {
		var subject, cat string
		var sid, hid int64
		if err := rows.Scan(&subject, &sid, &hid, &cat); err != nil {
			rows.Close()
			return nil, err
		}
		a := safetynet.Assignment{Category: cat}
		if subject == string(safetynet.SubjectHousehold) {
			if i, ok := idx[sid]; ok {
				hs[i].Categories = append(hs[i].Categories, a)
			}
		} else if at, ok := pidx[sid]; ok {
			persons[at[0]][at[1]].Categories = append(persons[at[0]][at[1]].Categories, a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	measures := make([][]string, len(hs))
	rows, err = t.query(ctx, `SELECT c.household_id, m.measure, m.period_start, m.period_end FROM case_measures m
		JOIN cases c ON c.id = m.case_id WHERE c.household_id IN `+in+` AND m.kind = 'application' AND m.status = 'approved'`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: measures to screen: %w", err)
	}
	d := dateStr(day)
	for rows.Next() {
		var hid int64
		var code, ps, pe string
		if err := rows.Scan(&hid, &code, &ps, &pe); err != nil {
			rows.Close()
			return nil, err
		}
		if (ps == "" || ps <= d) && (pe == "" || pe >= d) {
			if i, ok := idx[hid]; ok {
				measures[i] = append(measures[i], code)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]ruleHousehold, len(hs))
	for i, h := range hs {
		out[i] = ruleHousehold{Household: rules.FromRegister(h, persons[i], measures[i], day), place: h.PlaceCode}
	}
	return out, s.fillColourFacts(ctx, t, out, day) // h.monitored … h.overdue_steps (colours_facts.go)
}

// EachRuleHousehold calls fn with the active households of place's
// subtree as rules see them, chunk after chunk, in a snapshot: for tools
// and benchmarks that evaluate without storing (the baseline of `bench
// --suite rules`). Memory stays at one chunk.
func (s *Store) EachRuleHousehold(ctx context.Context, place string, chunk int, fn func([]rules.Household) error) error {
	if place == "" {
		place = safetynet.RootPlaceCode
	}
	cond, args := scopeClause(subtree(place), "place_code")
	return s.snapshot(ctx, func(t *tx) error {
		var last int64
		for {
			ids, err := householdIDs(ctx, t, cond, args, last, chunk)
			if err != nil || len(ids) == 0 {
				return err
			}
			last = ids[len(ids)-1]
			hs, err := s.loadRuleHouseholds(ctx, t, ids, s.now())
			if err != nil {
				return err
			}
			batch := make([]rules.Household, len(hs))
			for i := range hs {
				batch[i] = hs[i].Household
			}
			if err := fn(batch); err != nil {
				return err
			}
		}
	})
}
