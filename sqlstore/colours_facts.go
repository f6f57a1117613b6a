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
	// The loader read the categories held: only monitored households need
	// the start of their monitoring.
	var mon []int64
	for i := range hs {
		for _, c := range hs[i].Categories {
			if cat, ok := safetynet.CategoryByCode(c); ok && cat.Monitored {
				mon = append(mon, hs[i].ID)
				break
			}
		}
	}
	if len(mon) > 0 {
		monIn, monArgs := idList(mon)
		cats, catArgs := monitoredCats()
		if err := each("monitoring", `SELECT subject_id, category, start_date FROM assignments WHERE subject = 'household'
			AND subject_id IN `+monIn+` AND end_date = '' AND category IN `+cats, append(monArgs, catArgs...),
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
	}
	// A step is overdue once it passed a deadline: escalated by the sweep
	// (which gives it a new one) or due and not moved yet. Closing a clue
	// or a case closes its steps, so only open ones have any; a clue's own
	// steps count through the clue, a case's through the case: each once.
	now := ms(day)
	overdue := ` AND d.status = 'open' AND (d.escalations > 0 OR d.due_at < ?))`
	if err := each("open clues", `SELECT c.household_id, c.kinds, (SELECT COUNT(*) FROM deadlines d WHERE d.clue_id = c.id
		AND d.case_id = 0`+overdue+` FROM clues c WHERE c.household_id IN `+in+` AND c.status IN (?, ?)`,
		append(append([]any{now}, args...), relay.ClueReported, relay.ClueAcknowledged),
		func(rows scanner) error {
			var hid int64
			var kinds string
			var n int
			if err := rows.Scan(&hid, &kinds, &n); err != nil {
				return err
			}
			if i, ok := idx[hid]; ok {
				facts[i].OpenClues++
				facts[i].OverdueSteps += n
				facts[i].ClueKinds = append(facts[i].ClueKinds, strings.Split(kinds, ",")...)
			}
			return nil
		}); err != nil {
		return err
	}
	if err := each("open cases", `SELECT k.household_id, k.risk_types, (SELECT COUNT(*) FROM deadlines d WHERE d.case_id = k.id`+
		overdue+` FROM cases k WHERE k.household_id IN `+in+` AND k.status = 'open'`, append([]any{now}, args...),
		func(rows scanner) error {
			var hid int64
			var risks string
			var n int
			if err := rows.Scan(&hid, &risks, &n); err != nil {
				return err
			}
			if i, ok := idx[hid]; ok {
				facts[i].OpenCases++
				facts[i].OverdueSteps += n
				facts[i].CaseRisks = append(facts[i].CaseRisks, strings.Split(risks, ",")...)
			}
			return nil
		}); err != nil {
		return err
	}
	for i := range hs {
		hs[i].Monitoring = facts[i].Facts(day)
	}
	return nil
}
