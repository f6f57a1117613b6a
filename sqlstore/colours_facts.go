package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/relay"
	"safetynet/rules"
)

// fillColourFacts fills the monitoring facts (h.monitored … h.overdue_steps)
// of a chunk of households loaded for screening, in a few set-based
// queries over the register's categories and the relay's open clues,
// cases and steps at day.
func (s *Store) fillColourFacts(ctx context.Context, t *tx, hs []ruleHousehold, day time.Time) error {
	if len(hs) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(hs))
	ids := make([]int64, len(hs))
	for i := range hs {
		idx[hs[i].ID], ids[i] = i, hs[i].ID
	}
	facts := make([]rules.MonitoringFacts, len(hs))
	in, args := idList(ids)
	each := func(what, q string, args []any, scan func(scanner) error) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: %s for colours: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("sqlstore: %s for colours: %w", what, err)
			}
		}
		return rows.Err()
	}
	var monitored []any
	for _, c := range safetynet.Categories {
		if c.Monitored {
			monitored = append(monitored, c.Code)
		}
	}
	catIn := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(monitored)), ", ") + ")"
	if err := each("monitoring", `SELECT subject_id, category, start_date FROM assignments WHERE household_id IN `+in+`
		AND subject = 'household' AND end_date = '' AND category IN `+catIn, append(append([]any{}, args...), monitored...),
		func(rows scanner) error {
			var hid int64
			var cat, start string
			if err := rows.Scan(&hid, &cat, &start); err != nil {
				return err
			}
			if i, ok := idx[hid]; ok {
				facts[i].Category, facts[i].Since = cat, parseDate(start)
			}
			return nil
		}); err != nil {
		return err
	}
	if err := each("open clues", `SELECT household_id, kinds FROM clues WHERE household_id IN `+in+` AND status IN (?, ?)`,
		append(append([]any{}, args...), relay.ClueReported, relay.ClueAcknowledged),
		func(rows scanner) error {
			var hid int64
			var kinds string
			if err := rows.Scan(&hid, &kinds); err != nil {
				return err
			}
			if i, ok := idx[hid]; ok {
				facts[i].OpenClues++
				facts[i].ClueKinds = append(facts[i].ClueKinds, strings.Split(kinds, ",")...)
			}
			return nil
		}); err != nil {
		return err
	}
	if err := each("open cases", `SELECT household_id, risk_types FROM cases WHERE household_id IN `+in+` AND status = 'open'`, args,
		func(rows scanner) error {
			var hid int64
			var risks string
			if err := rows.Scan(&hid, &risks); err != nil {
				return err
			}
			if i, ok := idx[hid]; ok {
				facts[i].OpenCases++
				facts[i].CaseRisks = append(facts[i].CaseRisks, strings.Split(risks, ",")...)
			}
			return nil
		}); err != nil {
		return err
	}
	// A step is overdue once it passed a deadline: escalated by the sweep
	// (which gives it a new one) or due and not moved yet. A case's steps
	// count through the case, a clue's own steps through the clue: each once.
	now := ms(day)
	overdue := func(rows scanner) error {
		var hid int64
		var n int
		if err := rows.Scan(&hid, &n); err != nil {
			return err
		}
		if i, ok := idx[hid]; ok {
			facts[i].OverdueSteps += n
		}
		return nil
	}
	for _, q := range []string{
		`SELECT k.household_id, COUNT(*) FROM cases k JOIN deadlines d ON d.case_id = k.id
			WHERE k.household_id IN ` + in + ` AND d.status = 'open' AND (d.escalations > 0 OR d.due_at < ?) GROUP BY k.household_id`,
		`SELECT c.household_id, COUNT(*) FROM clues c JOIN deadlines d ON d.clue_id = c.id
			WHERE c.household_id IN ` + in + ` AND d.case_id = 0 AND d.status = 'open' AND (d.escalations > 0 OR d.due_at < ?) GROUP BY c.household_id`,
	} {
		if err := each("overdue steps", q, append(append([]any{}, args...), now), overdue); err != nil {
			return err
		}
	}
	for i := range hs {
		hs[i].Monitoring = facts[i].Facts(day)
	}
	return nil
}
