package sqlstore

import (
	"context"
	"fmt"

	"safetynet/access"
	"safetynet/rules"
)

// Preview is what a rule's draft would match in the author's scope.
type Preview struct {
	Count    int // households matched
	Total    int // households evaluated
	Errors   int // households on which the rule failed
	Missing  int // households not matched because a value is not recorded
	Lines    []PreviewLine
	Warnings []rules.Warning
	Failures []rules.Failure // examples answered wrongly
}

// PreviewLine is a matched household with why.
type PreviewLine struct {
	HouseholdID          int64
	Name                 string
	PlaceCode, PlaceName string
	ExplainZH, ExplainEN string
}

// previewMax is how many matched households a preview shows.
const previewMax = 50

// PreviewRule evaluates the draft of a rule over the households of its
// place within the author's scope: the count, the first 50 matched with
// why, the sanity warnings and the examples that fail.
func (s *Store) PreviewRule(ctx context.Context, a access.Actor, id int64) (Preview, error) {
	var pv Preview
	if err := a.Require(access.RulesEdit); err != nil {
		return pv, err
	}
	if kind, err := s.ruleKind(ctx, a, id); err != nil || kind == rules.KindWarning {
		if err != nil {
			return pv, err
		}
		return s.PreviewWarningRule(ctx, a, id, WarningPreviewDays)
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return pv, err
	}
	err = s.snapshot(ctx, func(t *tx) error {
		x, err := s.ruleInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		p, err := env.Check(x.Source)
		if err != nil {
			return compileError(err)
		}
		params, err := s.paramValues(ctx, t, x.Place, s.now().Year())
		if err != nil {
			return err
		}
		pv.Failures = rules.RunExamples(ctx, p, params, x.Name, x.Examples)
		// The rule's place, narrowed to the author's scope when the author
		// sits below it.
		place := x.Place
		if sc := a.Scope(access.Register); sc.Kind == access.ScopeSubtree {
			if in, err := isDescendant(ctx, t, sc.Place, x.Place); err == nil && in {
				place = sc.Place
			}
		}
		cond, args := scopeClause(subtree(place), "place_code")
		var last int64
		for {
			ids, err := householdIDs(ctx, t, cond, args, last, 2000)
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
			for i, r := range rules.EvaluateAll(ctx, p, params, batch) {
				pv.Total++
				switch {
				case r.Err != nil:
					pv.Errors++
				case r.Matched:
					pv.Count++
					if len(pv.Lines) < previewMax {
						ex := p.Explain(ctx, params, &batch[i])
						pv.Lines = append(pv.Lines, PreviewLine{HouseholdID: hs[i].ID, PlaceCode: hs[i].place, ExplainZH: ex.ZH(), ExplainEN: ex.EN()})
					}
				case len(r.Missing) > 0:
					pv.Missing++
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return pv, err
	}
	pv.Warnings = rules.Share{Sample: pv.Total, Matched: pv.Count, Missing: pv.Missing, Errors: pv.Errors}.Warnings(rules.DefaultThresholds)
	return pv, s.previewNames(ctx, pv.Lines)
}

// householdIDs returns up to n ids of active households after last
// matching cond.
func householdIDs(ctx context.Context, t *tx, cond string, args []any, last int64, n int) ([]int64, error) {
	rows, err := t.query(ctx, `SELECT id FROM households WHERE status = 'active' AND id > ? AND `+cond+` ORDER BY id LIMIT ?`,
		append(append([]any{last}, args...), n)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: households: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// previewNames fills the heads' and places' names of preview lines.
func (s *Store) previewNames(ctx context.Context, lines []PreviewLine) error {
	if len(lines) == 0 {
		return nil
	}
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.HouseholdID
	}
	return s.read(ctx, func(t *tx) error {
		in, args := idList(ids)
		rows, err := t.query(ctx, `SELECT h.id, COALESCE(p.name, ''), pl.name FROM households h LEFT JOIN persons p ON p.id = h.head_person_id
			JOIN places pl ON pl.code = h.place_code WHERE h.id IN `+in, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: preview names: %w", err)
		}
		defer rows.Close()
		names := map[int64][2]string{}
		for rows.Next() {
			var id int64
			var n, pl string
			if err := rows.Scan(&id, &n, &pl); err != nil {
				return err
			}
			names[id] = [2]string{n, pl}
		}
		for i := range lines {
			lines[i].Name, lines[i].PlaceName = names[lines[i].HouseholdID][0], names[lines[i].HouseholdID][1]
		}
		return rows.Err()
	})
}
