package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

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
	var p *rules.Program
	var params rules.Params
	var ids []int64
	err = s.snapshot(ctx, func(t *tx) error {
		x, err := s.ruleInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if p, err = env.Check(x.Source); err != nil {
			return compileError(err)
		}
		if params, err = s.paramValues(ctx, t, x.Place, s.now().Year()); err != nil {
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
		ids, err = householdIDs(ctx, t, cond, args, 0, -1)
		return err
	})
	if err != nil {
		return pv, err
	}
	if err := s.previewParts(ctx, p, params, ids, &pv); err != nil {
		return pv, err
	}
	pv.Warnings = rules.Share{Sample: pv.Total, Matched: pv.Count, Missing: pv.Missing, Errors: pv.Errors}.Warnings(rules.DefaultThresholds)
	return pv, s.previewNames(ctx, pv.Lines)
}

// previewPart is what a rule answered for a part of a preview's households.
type previewPart struct {
	total, count, errors, missing int
	lines                         []PreviewLine // the first previewMax matched, explained
}

// previewParts evaluates p over the households ids in parts of 2,000,
// read by GOMAXPROCS readers at once (each part in a read snapshot of its
// own; SQLite's WAL and PostgreSQL both read side by side), each part
// evaluated as soon as it is read, and adds up the answers into pv in the
// order of the ids.
func (s *Store) previewParts(ctx context.Context, p *rules.Program, params rules.Params, ids []int64, pv *Preview) error {
	parts := slices.Collect(slices.Chunk(ids, 2000))
	outs := make([]previewPart, len(parts))
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, min(runtime.GOMAXPROCS(0), len(parts)))
	day := s.now()
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := p.Bind(params)
			errs[w] = s.snapshot(ctx, func(t *tx) error {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(parts) || ctx.Err() != nil {
						return ctx.Err()
					}
					hs, err := s.loadRuleHouseholds(ctx, t, parts[i], day)
					if err != nil {
						return err
					}
					o := &outs[i]
					for j := range hs {
						h := &hs[j].Household
						r := b.Eval(h)
						o.total++
						switch {
						case r.Err != nil:
							o.errors++
						case r.Matched:
							o.count++
							if len(o.lines) < previewMax {
								ex := b.Explain(ctx, h, r)
								o.lines = append(o.lines, PreviewLine{HouseholdID: h.ID, PlaceCode: hs[j].place, ExplainZH: ex.ZH(),
									ExplainEN: ex.EN()})
							}
						case len(r.Missing) > 0:
							o.missing++
						}
					}
				}
			})
			if errs[w] != nil {
				next.Store(int64(len(parts))) // the others stop
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, o := range outs {
		pv.Total += o.total
		pv.Count += o.count
		pv.Errors += o.errors
		pv.Missing += o.missing
		pv.Lines = append(pv.Lines, o.lines[:min(len(o.lines), previewMax-len(pv.Lines))]...)
	}
	return nil
}

// householdIDs returns up to n ids of active households after last
// matching cond (all of them when n < 0).
func householdIDs(ctx context.Context, t *tx, cond string, args []any, last int64, n int) ([]int64, error) {
	limit, qargs := "", append([]any{last}, args...)
	if n >= 0 {
		limit, qargs = " LIMIT ?", append(qargs, n)
	}
	rows, err := t.query(ctx, `SELECT id FROM households WHERE status = 'active' AND id > ? AND `+cond+` ORDER BY id`+limit,
		qargs...)
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
