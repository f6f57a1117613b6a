package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// enqueue queues households for screening in t, the transaction of the
// change that may alter a rule's answer for them, and bumps their change
// counter (households.screen_seq): a full screening that read a household
// before this change commits does not write its answer (ScreenAll). Every
// path that queues a household goes through enqueue or enqueuePlace (new
// households of an import are queued with it: no screening read them;
// enqueuePlace, for rules and values, bumps the rules' generation).
func (s *Store) enqueue(ctx context.Context, t *tx, ids ...int64) error {
	now := ms(s.now())
	for _, id := range ids {
		if id == 0 {
			continue
		}
		if _, err := t.exec(ctx, `UPDATE households SET screen_seq = screen_seq + 1 WHERE id = ?`, id); err != nil {
			return fmt.Errorf("sqlstore: queue household %d for screening: %w", id, err)
		}
		if _, err := t.exec(ctx, `INSERT INTO screening_queue (household_id, queued_at) VALUES (?, ?)
			ON CONFLICT (household_id) DO NOTHING`, id, now); err != nil {
			return fmt.Errorf("sqlstore: queue household %d for screening: %w", id, err)
		}
	}
	return nil
}

// enqueuePlace queues every active household of place's subtree, after
// a change of the rules or parameter values in force there, and bumps the
// generation of the rules (screening_generation): a full screening that
// started before, with the rules it started with, then leaves the
// households it screens queued (ScreenAll). The households' own counters
// stay: their data did not change, and bumping them would rewrite every
// household row of a county.
func (s *Store) enqueuePlace(ctx context.Context, t *tx, place string) error {
	if _, err := t.exec(ctx, `UPDATE screening_generation SET n = n + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("sqlstore: queue %s for screening: %w", place, err)
	}
	cond, args := scopeClause(subtree(place), "place_code")
	if _, err := t.exec(ctx, `INSERT INTO screening_queue (household_id, queued_at) SELECT id, ? FROM households
		WHERE status = 'active' AND `+cond+` ON CONFLICT (household_id) DO NOTHING`, append([]any{ms(s.now())}, args...)...); err != nil {
		return fmt.Errorf("sqlstore: queue %s for screening: %w", place, err)
	}
	return nil
}

// screeningGeneration reads the generation of the rules in force; with
// lock (in a write transaction), on PostgreSQL, it holds it FOR SHARE
// until t ends (a change of the rules waits for t).
func screeningGeneration(ctx context.Context, t *tx, lock bool) (int64, error) {
	q := `SELECT n FROM screening_generation WHERE id = 1`
	if lock && t.d.name == "postgres" {
		q += ` FOR SHARE`
	}
	var n int64
	if err := t.queryRow(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: rules' generation: %w", err)
	}
	return n, nil
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
	// byPlace caches the rules in force and the parameter values of the
	// places screened.
	byPlace map[string]placeRules
}

type placeRules struct {
	rules  []int
	county string
	params rules.Params // the county's
	seed   uint64       // rules.ParamsHash(params)
}

func (s *Store) newScreener(ctx context.Context, t *tx, env *rules.Env) (*screener, error) {
	return s.newScreenerAt(ctx, t, env, s.now())
}

// newScreenerAt makes a screener of the rules in force on day.
func (s *Store) newScreenerAt(ctx context.Context, t *tx, env *rules.Env, day time.Time) (*screener, error) {
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

// outreachOwner is the place whose workers tell a household of place of
// a 应享未享 line: its grid, else its village, else the place itself.
// The place's ancestors must be cached (prefetchAncestors, ancestors).
func (sc *screener) outreachOwner(place string) string {
	anc := sc.anc[place]
	if owner := at(anc, safetynet.LevelGrid); owner != "" {
		return owner
	}
	if owner := at(anc, safetynet.LevelVillage); owner != "" {
		return owner
	}
	return place
}

// evaluated is what the rules in force answered for a household, and
// the fingerprint of its data and parameters (rules.DataHash) the matched
// answers were explained with (0 when none matched).
type evaluated struct {
	outcomes []rules.Outcome
	fp       int64
}

// evaluateAll runs the rules in force for each of hs, over GOMAXPROCS
// goroutines: the places' rules and the counties' parameters are read
// first (in t, one goroutine), then evaluating is pure computation. A
// matched answer stored in prev with the same fingerprint keeps its
// explanation. outs[i] are the outcomes of hs[i].
func (sc *screener) evaluateAll(ctx context.Context, t *tx, hs []ruleHousehold, prev map[resultKey]storedResult) ([]evaluated, error) {
	in := make([]placeRules, len(hs))
	for i := range hs {
		x, err := sc.atPlace(ctx, t, hs[i].place)
		if err != nil {
			return nil, err
		}
		in[i] = x
	}
	outs := make([]evaluated, len(hs))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(hs)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := binder{}
			for i := w; i < len(hs); i += workers {
				if ctx.Err() != nil {
					return
				}
				outs[i] = sc.outcomes(ctx, b, &hs[i], in[i], prev)
			}
		}()
	}
	wg.Wait()
	return outs, ctx.Err()
}

// binder keeps, for one goroutine, each rule bound to the parameter
// values of each county it ran in.
type binder map[bindKey]*rules.Bound

type bindKey struct {
	rule   int64
	county string
}

func (bd binder) bound(r *compiledRule, pr placeRules) *rules.Bound {
	k := bindKey{r.id, pr.county}
	b, ok := bd[k]
	if !ok {
		b = r.prog.Bind(pr.params)
		bd[k] = b
	}
	return b
}

// atPlace returns the rules in force at place (indexes in sc.rules: the
// rules of the place and of the places above it) and the parameter values
// of its county, cached by place.
func (sc *screener) atPlace(ctx context.Context, t *tx, place string) (placeRules, error) {
	if x, ok := sc.byPlace[place]; ok {
		return x, nil
	}
	anc, err := sc.ancestors(ctx, t, place)
	if err != nil {
		return placeRules{}, err
	}
	county := at(anc, safetynet.LevelCounty)
	params, err := sc.countyParams(ctx, t, county)
	if err != nil {
		return placeRules{}, err
	}
	var rs []int
	for i, r := range sc.rules {
		if slices.ContainsFunc(anc, func(a ancestor) bool { return a.code == r.place }) {
			rs = append(rs, i)
		}
	}
	if sc.byPlace == nil {
		sc.byPlace = map[string]placeRules{}
	}
	x := placeRules{rules: rs, county: county, params: params, seed: rules.ParamsHash(params)}
	sc.byPlace[place] = x
	return x, nil
}

// outcomes runs the rules in force at h's place (pr) for h. It reads only
// what the screener holds: safe from several goroutines, each with its
// own binder.
func (sc *screener) outcomes(ctx context.Context, bd binder, h *ruleHousehold, pr placeRules, prev map[resultKey]storedResult) evaluated {
	ev := evaluated{outcomes: make([]rules.Outcome, 0, len(pr.rules))}
	for _, i := range pr.rules {
		r := &sc.rules[i]
		o := rules.Outcome{RuleID: r.id, RuleVersion: r.version, Measure: r.measure, Kind: r.kind}
		if r.prog == nil {
			o.Err, o.EN = "规则已无法编译，请重新发布", "the rule no longer compiles: publish it again"
			ev.outcomes = append(ev.outcomes, o)
			continue
		}
		b := bd.bound(r, pr)
		res := b.Eval(&h.Household)
		switch {
		case res.Err != nil:
			var ee *rules.EvalError
			if errors.As(res.Err, &ee) {
				o.Err, o.EN = ee.ZH, ee.EN
			} else {
				o.Err = res.Err.Error()
			}
		case res.Matched:
			if ev.fp == 0 {
				ev.fp = int64(rules.DataHash(&h.Household, pr.seed))
			}
			o.Matched = true
			if old, ok := prev[resultKey{h.ID, r.id}]; ok && old.matched && old.err == "" && old.version == r.version && old.fp == ev.fp {
				o.ZH, o.EN = old.zh, old.en // the same data and values: the same explanation
			} else {
				ex := b.Explain(ctx, &h.Household, res)
				o.ZH, o.EN = ex.ZH(), ex.EN()
			}
		}
		ev.outcomes = append(ev.outcomes, o)
	}
	return ev
}
