package rules

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// Result is the answer of a rule for one household.
type Result struct {
	HouseholdID int64
	// Matched is true only when the rule evaluated to true.
	Matched bool
	// Missing names the unrecorded values (Chinese labels) that made the
	// rule not hold, e.g. 人均收入; empty when the answer did not depend
	// on a missing value.
	Missing []string
	// Err is set when the rule failed on this household (division by zero,
	// cost limit, a missing value used in arithmetic, a parameter without
	// a value, cancellation); Matched is then false.
	Err error
}

// activation binds h and params without allocating a map.
type activation struct {
	h, params ref.Val
}

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "h":
		return a.h, true
	case "params":
		return a.params, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

func (p *Program) bind(params Params, h *Household) *activation {
	return &activation{h: (*hRef)(h), params: (*pRef)(newParamValues(p.env.prov, params))}
}

// Eval runs the rule on one household. It never panics on household data:
// failures are returned in Result.Err.
func (p *Program) Eval(ctx context.Context, params Params, h *Household) (res Result) {
	res.HouseholdID = h.ID
	defer func() {
		if r := recover(); r != nil {
			res = Result{HouseholdID: h.ID, Err: fmt.Errorf("rules: household %d: internal error: %v", h.ID, r)}
		}
	}()
	if err := ctx.Err(); err != nil {
		res.Err = err
		return res
	}
	prg := p.prg
	if withinEstimate(h) {
		prg = p.fast
	}
	v, _, err := prg.ContextEval(ctx, p.bind(params, h))
	return p.classify(h.ID, v, err)
}

// evalBound runs the rule on the household bound in act, without a
// context of its own: the batch checks ctx between households, and the
// cost limit bounds each evaluation.
func (p *Program) evalBound(act *activation, h *Household) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{HouseholdID: h.ID, Err: fmt.Errorf("rules: household %d: internal error: %v", h.ID, r)}
		}
	}()
	act.h = (*hRef)(h)
	prg := p.prg
	if withinEstimate(h) {
		prg = p.fast
	}
	v, _, err := prg.Eval(act)
	return p.classify(h.ID, v, err)
}

// classify turns a CEL answer into a Result, applying the null semantics.
func (p *Program) classify(id int64, v ref.Val, err error) Result {
	res := Result{HouseholdID: id}
	if err == nil {
		b, ok := v.(types.Bool)
		if !ok {
			res.Err = fmt.Errorf("rules: household %d: result %v is not a bool", id, v)
			return res
		}
		res.Matched = bool(b)
		return res
	}
	var me *MissingError
	if errors.As(err, &me) {
		switch {
		case me.Param:
			res.Err = &EvalError{ZH: fmt.Sprintf("参数%s未设置", me.ZH), EN: fmt.Sprintf("parameter %s has no value", me.Field), err: me}
		case p.reads[me.Field]:
			res.Err = &EvalError{ZH: fmt.Sprintf("%s未登记，无法计算", me.ZH), EN: fmt.Sprintf("%s is not recorded and is used in arithmetic", me.EN), err: me}
		default:
			res.Missing = []string{me.ZH}
		}
		return res
	}
	res.Err = &EvalError{ZH: "规则运行出错：" + err.Error(), EN: "rule failed: " + err.Error(), err: err}
	return res
}

// EvalError is a rule's failure on one household.
type EvalError struct {
	ZH, EN string
	err    error
}

// Error returns the English message.
func (e *EvalError) Error() string { return e.EN }

// Unwrap returns the underlying CEL or missing-value error.
func (e *EvalError) Unwrap() error { return e.err }

// EvaluateAll runs the rule on every household in parallel over
// GOMAXPROCS workers. One household's error does not stop the others;
// cancelling ctx marks the households not yet evaluated with ctx's error
// (ctx is checked between households; the cost limit bounds each one).
// Results are in the order of hs.
func EvaluateAll(ctx context.Context, p *Program, params Params, hs []Household) []Result {
	out := make([]Result, len(hs))
	workers := runtime.GOMAXPROCS(0)
	const chunk = 256
	var next int64
	var mu sync.Mutex
	take := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		lo := int(next)
		if lo >= len(hs) {
			return 0, 0
		}
		hi := min(lo+chunk, len(hs))
		next = int64(hi)
		return lo, hi
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			act := p.bind(params, nil)
			for {
				lo, hi := take()
				if lo == hi {
					return
				}
				for i := lo; i < hi; i++ {
					if err := ctx.Err(); err != nil {
						out[i] = Result{HouseholdID: hs[i].ID, Err: err}
						continue
					}
					out[i] = p.evalBound(act, &hs[i])
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// withinEstimate reports whether h fits the sizes the compile-time cost
// estimate assumed (MaxMembers elements per list, 64 bytes per text), so
// that the estimate, already under the limit, bounds its evaluation.
func withinEstimate(h *Household) bool {
	if len(h.Members) > MaxMembers || len(h.Former) > MaxMembers || len(h.Categories) > MaxMembers ||
		len(h.Measures) > MaxMembers || len(h.PlaceCode) > 64 || len(h.Housing) > 64 || len(h.Water) > 64 {
		return false
	}
	for _, ms := range [][]Member{h.Members, h.Former} {
		for i := range ms {
			m := &ms[i]
			if len(m.Categories) > MaxMembers || len(m.Sex) > 64 || len(m.Relation) > 64 || len(m.DisabilityKind) > 64 ||
				len(m.Health) > 64 || len(m.Education) > 64 || len(m.Labour) > 64 {
				return false
			}
		}
	}
	return true
}

// Bound is a program bound to parameter values, to run it on many
// households without binding the values again for each: screening runs
// each rule of a county on every household of the county. A Bound is for
// one goroutine at a time.
type Bound struct {
	p   *Program
	act *activation
}

// Bind binds p to params.
func (p *Program) Bind(params Params) *Bound { return &Bound{p: p, act: p.bind(params, nil)} }

// Eval runs the rule on one household, as Program.Eval does (the cost
// limit bounds it; the caller checks its context between households).
func (b *Bound) Eval(h *Household) Result { return b.p.evalBound(b.act, h) }

// Explain says why the rule gave res (its Eval's result) for h, as
// Program.Explain does, without evaluating the rule again nor binding the
// values again.
func (b *Bound) Explain(ctx context.Context, h *Household, res Result) (ex Explanation) {
	ex.Result = res
	defer func() {
		if r := recover(); r != nil {
			ex.Conditions = nil
		}
	}()
	b.act.h = (*hRef)(h)
	x := &explainer{ctx: ctx, act: b.act, env: b.p.env}
	ex.Conditions = x.why(b.p.tree, x.eval(b.p.tree))
	return ex
}
