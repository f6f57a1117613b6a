package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// HouseholdColour is a monitored household's risk colour with the reason.
type HouseholdColour struct {
	HouseholdID int64
	Colour      string // rules.ColourRed, ColourYellow or ColourGreen
	RuleVersion int    // the county's colour rules version, 0 for the defaults
	ExplainZH   string
	ExplainEN   string
	Since       time.Time
}

// ColourChange is a line of a household's colour history; Colour is ""
// when the household left monitoring.
type ColourChange struct {
	At                   time.Time
	Colour, Previous     string
	RuleVersion          int
	ExplainZH, ExplainEN string
}

// HouseholdColours returns the colours of the households of ids in the
// actor's scope; households without a colour are left out.
func (s *Store) HouseholdColours(ctx context.Context, a access.Actor, ids []int64) (map[int64]HouseholdColour, error) {
	out := map[int64]HouseholdColour{}
	if len(ids) == 0 || !a.Can(access.RegisterView) {
		return out, nil
	}
	cond, args := registerScope(a, "c.place_code")
	in, idArgs := idList(ids)
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT c.household_id, c.colour, c.rule_version, c.explain_zh, c.explain_en, c.since
			FROM household_colours c WHERE c.household_id IN `+in+` AND `+cond, append(idArgs, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: colours: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c HouseholdColour
			var since int64
			if err := rows.Scan(&c.HouseholdID, &c.Colour, &c.RuleVersion, &c.ExplainZH, &c.ExplainEN, &since); err != nil {
				return err
			}
			c.Since = fromMS(since)
			out[c.HouseholdID] = c
		}
		return rows.Err()
	})
	return out, err
}

// HouseholdColour returns the colour of one household of the actor's
// scope (ok false when it has none) and its colour history, newest first.
func (s *Store) HouseholdColour(ctx context.Context, a access.Actor, id int64) (c HouseholdColour, ok bool, history []ColourChange, err error) {
	if err := a.Require(access.RegisterView); err != nil {
		return c, false, nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		if _, err := s.householdInScope(ctx, t, a.Scope(access.Register), id, false); err != nil {
			return err
		}
		var since int64
		err := t.queryRow(ctx, `SELECT household_id, colour, rule_version, explain_zh, explain_en, since FROM household_colours
			WHERE household_id = ?`, id).Scan(&c.HouseholdID, &c.Colour, &c.RuleVersion, &c.ExplainZH, &c.ExplainEN, &since)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("sqlstore: colour: %w", err)
		default:
			ok, c.Since = true, fromMS(since)
		}
		rows, err := t.query(ctx, `SELECT at, colour, previous, rule_version, explain_zh, explain_en FROM colour_history
			WHERE household_id = ? ORDER BY id DESC LIMIT 50`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: colour history: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var h ColourChange
			var at int64
			if err := rows.Scan(&at, &h.Colour, &h.Previous, &h.RuleVersion, &h.ExplainZH, &h.ExplainEN); err != nil {
				return err
			}
			h.At = fromMS(at)
			history = append(history, h)
		}
		return rows.Err()
	})
	return c, ok, history, err
}

// ColourCounts counts the monitored households of place's subtree ("" for
// the actor's whole scope) by colour, in the actor's scope.
func (s *Store) ColourCounts(ctx context.Context, a access.Actor, place string) (map[string]int, error) {
	if err := a.Require(access.RegisterView); err != nil {
		return nil, err
	}
	var out map[string]int
	err := s.read(ctx, func(t *tx) error {
		var err error
		out, err = colourCounts(ctx, t, a, place)
		return err
	})
	return out, err
}

func colourCounts(ctx context.Context, t *tx, a access.Actor, place string) (map[string]int, error) {
	cond, args := registerScope(a, "place_code")
	if place != "" {
		cond, args = cond+" AND place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)", append(args, place)
	}
	rows, err := t.query(ctx, `SELECT colour, COUNT(*) FROM household_colours WHERE `+cond+` GROUP BY colour`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: colour counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// colourFilter is the condition of the register list's colour filter on
// households h.
func colourFilter(colour string) (string, []any, error) {
	if !rules.ValidColour(colour) {
		return "", nil, safetynet.Invalid("colour", "风险颜色无效：%s（应为 red、yellow 或 green）", "unknown colour %q (red, yellow or green)", colour)
	}
	return "EXISTS (SELECT 1 FROM household_colours hc WHERE hc.household_id = h.id AND hc.colour = ?)", []any{colour}, nil
}
