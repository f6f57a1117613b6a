package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/rules"
)

// storedColour is a household's colour as stored.
type storedColour struct {
	colour, place, county, zh string
	version                   int
}

// countyColourRules reads the colour rules in force in county (the
// defaults, version 0, when it has published none) and compiles them. A
// rule that no longer compiles is nil: DecideColour then makes the
// households red with that reason.
func (s *Store) countyColourRules(ctx context.Context, t *tx, env *rules.Env, county string) (rules.ColourRules, error) {
	red, yellow, version, err := colourSources(ctx, t, county)
	if err != nil {
		return rules.ColourRules{}, err
	}
	cr := rules.ColourRules{Version: version}
	cr.Red, _ = env.Check(red)
	cr.Yellow, _ = env.Check(yellow)
	return cr, nil
}

// colourSources returns the texts of county's colour rules in force.
func colourSources(ctx context.Context, t *tx, county string) (red, yellow string, version int, err error) {
	err = t.queryRow(ctx, `SELECT v.red, v.yellow, v.number FROM colour_rules r
		JOIN colour_rule_versions v ON v.place_code = r.place_code AND v.number = r.published WHERE r.place_code = ?`, county).
		Scan(&red, &yellow, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.DefaultRedRule, rules.DefaultYellowRule, 0, nil
	}
	if err != nil {
		return "", "", 0, fmt.Errorf("sqlstore: colour rules of %s: %w", county, err)
	}
	return red, yellow, version, nil
}

// colourChunk gives the monitored households of a screened chunk their
// colour under their county's colour rules, records each change of colour
// in the history, and takes the colour away from households of ids that
// are no longer monitored (or no longer active). all are the chunk's
// active households, filled the ones screening read in full (those with a
// rule at their place); the monitored among the others are filled here.
func (s *Store) colourChunk(ctx context.Context, t *tx, sc *screener, ids []int64, all, filled []ruleHousehold) error {
	if len(ids) == 0 {
		return nil
	}
	hs, err := s.fillMonitored(ctx, t, sc, all, filled)
	if err != nil {
		return err
	}
	in, args := idList(ids)
	old := map[int64]storedColour{}
	rows, err := t.query(ctx, `SELECT household_id, colour, place_code, county, rule_version, explain_zh FROM household_colours
		WHERE household_id IN `+in, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: colours: %w", err)
	}
	for rows.Next() {
		var id int64
		var c storedColour
		if err := rows.Scan(&id, &c.colour, &c.place, &c.county, &c.version, &c.zh); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: colours: %w", err)
		}
		old[id] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := ms(s.now())
	byCounty := map[string]rules.ColourRules{}
	var fresh, history [][]any
	seen := map[int64]bool{}
	for i := range hs {
		h := &hs[i]
		if !h.Monitored {
			continue
		}
		anc, err := sc.ancestors(ctx, t, h.place)
		if err != nil {
			return err
		}
		county := at(anc, safetynet.LevelCounty)
		cr, ok := byCounty[county]
		if !ok {
			if cr, err = s.countyColourRules(ctx, t, sc.env, county); err != nil {
				return err
			}
			byCounty[county] = cr
		}
		params, err := sc.countyParams(ctx, t, county)
		if err != nil {
			return err
		}
		got := rules.DecideColour(ctx, cr, params, &h.Household)
		seen[h.ID] = true
		prev, had := old[h.ID]
		switch {
		case !had:
			fresh = append(fresh, []any{h.ID, h.place, got.Colour, county, cr.Version, got.ZH, got.EN, now, now})
			continue // its history line is written with the row
		case prev.colour != got.Colour:
			if _, err := t.exec(ctx, `UPDATE household_colours SET colour = ?, place_code = ?, county = ?, rule_version = ?, explain_zh = ?,
				explain_en = ?, since = ?, updated_at = ? WHERE household_id = ?`, got.Colour, h.place, county, cr.Version, got.ZH, got.EN,
				now, now, h.ID); err != nil {
				return fmt.Errorf("sqlstore: colour: %w", err)
			}
		case prev.zh != got.ZH || prev.version != cr.Version || prev.place != h.place || prev.county != county:
			// Same colour, another reason or rule version: no change to record.
			if _, err := t.exec(ctx, `UPDATE household_colours SET place_code = ?, county = ?, rule_version = ?, explain_zh = ?, explain_en = ?,
				updated_at = ? WHERE household_id = ?`, h.place, county, cr.Version, got.ZH, got.EN, now, h.ID); err != nil {
				return fmt.Errorf("sqlstore: colour: %w", err)
			}
			continue
		default:
			continue
		}
		history = append(history, []any{h.ID, now, got.Colour, prev.colour, cr.Version, got.ZH, got.EN})
	}
	for id, prev := range old {
		if seen[id] {
			continue
		}
		if _, err := t.exec(ctx, `DELETE FROM household_colours WHERE household_id = ?`, id); err != nil {
			return fmt.Errorf("sqlstore: colour: %w", err)
		}
		history = append(history, []any{id, now, "", prev.colour, prev.version, "不再是监测对象", "no longer monitored"})
	}
	if err := t.insertRows(ctx, "household_colours", []string{"household_id", "place_code", "colour", "county", "rule_version",
		"explain_zh", "explain_en", "since", "updated_at"}, fresh); err != nil {
		return err
	}
	for _, f := range fresh {
		history = append(history, []any{f[0], now, f[2], "", f[4], f[5], f[6]})
	}
	return t.insertRows(ctx, "colour_history", []string{"household_id", "at", "colour", "previous", "rule_version", "explain_zh",
		"explain_en"}, history)
}

// enqueueColour queues the household of a relay step that may change its
// colour (rules.AffectsColour), in the step's transaction, when it is
// monitored or coloured (a household that is neither has no colour to
// change, and is not screened again for every clue).
func (s *Store) enqueueColour(ctx context.Context, t *tx, kind string, household int64) error {
	if household == 0 || !rules.AffectsColour(kind) {
		return nil
	}
	cats, args := monitoredCats()
	if _, err := t.exec(ctx, `INSERT INTO screening_queue (household_id, queued_at) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT)
		WHERE EXISTS (SELECT 1 FROM assignments a WHERE a.household_id = ? AND a.subject = 'household' AND a.end_date = ''
			AND a.category IN `+cats+`) OR EXISTS (SELECT 1 FROM household_colours c WHERE c.household_id = ?)
		ON CONFLICT (household_id) DO NOTHING`, append(append([]any{household, ms(s.now()), household}, args...), household)...); err != nil {
		return fmt.Errorf("sqlstore: queue household %d for its colour: %w", household, err)
	}
	return nil
}

// enqueueOverdue queues, in the sweep's transaction, the monitored
// households whose clue or case has a step escalated for the first time
// by this sweep: h.overdue_steps has just changed for them.
func (s *Store) enqueueOverdue(ctx context.Context, t *tx, now time.Time) error {
	var monitored []string
	for _, c := range safetynet.Categories {
		if c.Monitored {
			monitored = append(monitored, "'"+c.Code+"'")
		}
	}
	if _, err := t.exec(ctx, `INSERT INTO screening_queue (household_id, queued_at)
		SELECT DISTINCT x.household_id, CAST(? AS BIGINT) FROM (
			SELECT COALESCE(k.household_id, c.household_id, 0) AS household_id FROM sweep_due sd JOIN deadlines d ON d.id = sd.id
				LEFT JOIN cases k ON k.id = d.case_id AND d.case_id <> 0 LEFT JOIN clues c ON c.id = d.clue_id AND d.case_id = 0
			WHERE d.escalations = 1) x
		WHERE x.household_id <> 0 AND EXISTS (SELECT 1 FROM assignments a WHERE a.household_id = x.household_id
			AND a.subject = 'household' AND a.end_date = '' AND a.category IN (`+strings.Join(monitored, ", ")+`))
		ON CONFLICT (household_id) DO NOTHING`, ms(now)); err != nil {
		return fmt.Errorf("sqlstore: queue overdue households: %w", err)
	}
	return nil
}

// fillMonitored returns the filled households with, filled now, the
// monitored households of all that screening left unread.
func (s *Store) fillMonitored(ctx context.Context, t *tx, sc *screener, all, filled []ruleHousehold) ([]ruleHousehold, error) {
	if len(filled) == len(all) {
		return filled, nil
	}
	done := make(map[int64]bool, len(filled))
	for i := range filled {
		done[filled[i].ID] = true
	}
	var rest []int64
	for i := range all {
		if !done[all[i].ID] {
			rest = append(rest, all[i].ID)
		}
	}
	in, args := idList(rest)
	cats, catArgs := monitoredCats()
	rows, err := t.query(ctx, `SELECT DISTINCT subject_id FROM assignments WHERE subject = 'household' AND subject_id IN `+in+`
		AND end_date = '' AND category IN `+cats, append(args, catArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: monitored households: %w", err)
	}
	monitored := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		monitored[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(monitored) == 0 {
		return filled, err
	}
	var extra []ruleHousehold
	for i := range all {
		if monitored[all[i].ID] && !done[all[i].ID] {
			extra = append(extra, all[i])
		}
	}
	if err := s.fillRuleHouseholds(ctx, t, extra, sc.day); err != nil {
		return nil, err
	}
	return append(append(make([]ruleHousehold, 0, len(filled)+len(extra)), filled...), extra...), nil
}
