package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// enqueue queues households for screening in t, the transaction of the
// change that may alter a rule's answer for them.
func (s *Store) enqueue(ctx context.Context, t *tx, ids ...int64) error {
	now := ms(s.now())
	for _, id := range ids {
		if id == 0 {
			continue
		}
		if _, err := t.exec(ctx, `INSERT INTO screening_queue (household_id, queued_at) VALUES (?, ?)
			ON CONFLICT (household_id) DO NOTHING`, id, now); err != nil {
			return fmt.Errorf("sqlstore: queue household %d for screening: %w", id, err)
		}
	}
	return nil
}

// enqueuePlace queues every active household of place's subtree.
func (s *Store) enqueuePlace(ctx context.Context, t *tx, place string) error {
	cond, args := scopeClause(subtree(place), "place_code")
	if _, err := t.exec(ctx, `INSERT INTO screening_queue (household_id, queued_at) SELECT id, ? FROM households
		WHERE status = 'active' AND `+cond+` ON CONFLICT (household_id) DO NOTHING`, append([]any{ms(s.now())}, args...)...); err != nil {
		return fmt.Errorf("sqlstore: queue %s for screening: %w", place, err)
	}
	return nil
}

// ancestor is a place above (or at) another, with its level.
type ancestor struct {
	code  string
	level safetynet.Level
}

// compiledRule is a published rule version in force.
type compiledRule struct {
	id      int64
	version int
	name    string
	measure string
	kind    string
	place   string
	prog    *rules.Program
}

// screener evaluates households against the published rules in force on
// one day. It caches places' ancestors and counties' parameters.
type screener struct {
	s      *Store
	env    *rules.Env
	day    time.Time
	rules  []compiledRule
	anc    map[string][]ancestor
	params map[string]rules.Params
}

func (s *Store) newScreener(ctx context.Context, t *tx, env *rules.Env) (*screener, error) {
	day := s.now()
	sc := &screener{s: s, env: env, day: day, anc: map[string][]ancestor{}, params: map[string]rules.Params{}}
	d := dateStr(day)
	rows, err := t.query(ctx, `SELECT r.id, r.published, r.name, r.measure, r.kind, r.place_code, v.source FROM rules r
		JOIN rule_versions v ON v.rule_id = r.id AND v.number = r.published
		WHERE r.status = 'published' AND r.kind <> 'warning' AND (r.valid_from = '' OR r.valid_from <= ?) AND (r.valid_to = '' OR r.valid_to >= ?)
		ORDER BY r.id`, d, d)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: rules in force: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r compiledRule
		var src string
		if err := rows.Scan(&r.id, &r.version, &r.name, &r.measure, &r.kind, &r.place, &src); err != nil {
			return nil, err
		}
		// A published version compiled when published; a catalogue change
		// since may break it: it then fails on every household (an error
		// on each line) rather than stop the others.
		r.prog, _ = env.Compile(r.id, r.version, src)
		sc.rules = append(sc.rules, r)
	}
	return sc, rows.Err()
}

// ancestors returns the places above place (itself included).
func (sc *screener) ancestors(ctx context.Context, t *tx, place string) ([]ancestor, error) {
	if a, ok := sc.anc[place]; ok {
		return a, nil
	}
	rows, err := t.query(ctx, `SELECT pt.ancestor, p.level FROM place_tree pt JOIN places p ON p.code = pt.ancestor
		WHERE pt.descendant = ? ORDER BY pt.depth`, place)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: places above %s: %w", place, err)
	}
	defer rows.Close()
	var out []ancestor
	for rows.Next() {
		var a ancestor
		var l string
		if err := rows.Scan(&a.code, &l); err != nil {
			return nil, err
		}
		a.level = safetynet.Level(l)
		out = append(out, a)
	}
	sc.anc[place] = out
	return out, rows.Err()
}

// prefetchAncestors reads, in one query, the places above each of places
// not cached yet, as ancestors would one by one.
func (sc *screener) prefetchAncestors(ctx context.Context, t *tx, places []string) error {
	var miss []any
	seen := map[string]bool{}
	for _, p := range places {
		if _, ok := sc.anc[p]; ok || seen[p] {
			continue
		}
		seen[p] = true
		miss = append(miss, p)
	}
	for len(miss) > 0 {
		n := min(len(miss), 500)
		part := miss[:n]
		miss = miss[n:]
		in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ") + ")"
		rows, err := t.query(ctx, `SELECT pt.descendant, pt.ancestor, p.level FROM place_tree pt JOIN places p ON p.code = pt.ancestor
			WHERE pt.descendant IN `+in+` ORDER BY pt.descendant, pt.depth`, part...)
		if err != nil {
			return fmt.Errorf("sqlstore: places above: %w", err)
		}
		got := map[string][]ancestor{}
		for rows.Next() {
			var d, l string
			var a ancestor
			if err := rows.Scan(&d, &a.code, &l); err != nil {
				rows.Close()
				return err
			}
			a.level = safetynet.Level(l)
			got[d] = append(got[d], a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range part {
			sc.anc[p.(string)] = got[p.(string)]
		}
	}
	return nil
}

// subtree is the scope of a place's subtree.
func subtree(place string) access.Scope { return access.Scope{Kind: access.ScopeSubtree, Place: place} }

func at(anc []ancestor, l safetynet.Level) string {
	for _, a := range anc {
		if a.level == l {
			return a.code
		}
	}
	return ""
}

// countyParams returns the parameter values of a county for the year.
func (sc *screener) countyParams(ctx context.Context, t *tx, county string) (rules.Params, error) {
	if p, ok := sc.params[county]; ok {
		return p, nil
	}
	p, err := sc.s.countyParams(ctx, t, county, sc.day.Year())
	if err != nil {
		return nil, err
	}
	sc.params[county] = p
	return p, nil
}

// evaluate runs the rules in force for h and returns their outcomes.
func (sc *screener) evaluate(ctx context.Context, t *tx, h *ruleHousehold) ([]rules.Outcome, error) {
	anc, err := sc.ancestors(ctx, t, h.place)
	if err != nil {
		return nil, err
	}
	params, err := sc.countyParams(ctx, t, at(anc, safetynet.LevelCounty))
	if err != nil {
		return nil, err
	}
	var out []rules.Outcome
	for _, r := range sc.rules {
		applies := false
		for _, a := range anc {
			applies = applies || a.code == r.place
		}
		if !applies {
			continue
		}
		o := rules.Outcome{RuleID: r.id, RuleVersion: r.version, Measure: r.measure, Kind: r.kind}
		if r.prog == nil {
			o.Err, o.EN = "规则已无法编译，请重新发布", "the rule no longer compiles: publish it again"
			out = append(out, o)
			continue
		}
		res := r.prog.Eval(ctx, params, &h.Household)
		switch {
		case res.Err != nil:
			var ee *rules.EvalError
			if errors.As(res.Err, &ee) {
				o.Err, o.EN = ee.ZH, ee.EN
			} else {
				o.Err = res.Err.Error()
			}
		case res.Matched:
			ex := r.prog.Explain(ctx, params, &h.Household)
			o.Matched, o.ZH, o.EN = true, ex.ZH(), ex.EN()
		}
		out = append(out, o)
	}
	return out, nil
}
