package rules

import (
	"strings"
	"testing"
)

// TestEngineAgreesWithGo compares the engine's answers with the same
// predicates written in Go over thousands of random households, including
// unrecorded incomes, ages and disability grades.
func TestEngineAgreesWithGo(t *testing.T) {
	e := mustEnv(t, Config{})
	hs := randomHouseholds(1, 5000)
	for _, gr := range goRules {
		t.Run(gr.name, func(t *testing.T) {
			p := mustCheck(t, e, gr.src)
			rs := EvaluateAll(t.Context(), p, testParams, hs)
			counts := map[tv]int{}
			for i, r := range rs {
				want := gr.goEval(&hs[i])
				counts[want]++
				var ok bool
				switch {
				case want == tru:
					ok = r.Matched && r.Err == nil
				case want == fls:
					ok = !r.Matched && r.Err == nil && len(r.Missing) == 0
				case gr.arith:
					ok = !r.Matched && r.Err != nil
				default:
					ok = !r.Matched && r.Err == nil && len(r.Missing) > 0
				}
				if !ok {
					t.Fatalf("household %+v: engine %+v, Go %v", hs[i], r, want)
				}
			}
			// Explanations agree with the answer they explain.
			for i := range 300 {
				ex := p.Explain(t.Context(), testParams, &hs[i])
				if ex.Result.Matched != rs[i].Matched || (ex.Result.Err != nil) != (rs[i].Err != nil) || len(ex.Conditions) == 0 {
					t.Fatalf("household %d: explanation %+v, evaluation %+v", hs[i].ID, ex, rs[i])
				}
				missing := false
				for _, c := range ex.Conditions {
					missing = missing || c.Missing
					if strings.HasPrefix(c.ZH, "无法判断") && rs[i].Err == nil {
						t.Fatalf("household %d: %s", hs[i].ID, ex.ZH())
					}
				}
				if missing != (len(rs[i].Missing) > 0 || gr.arith && rs[i].Err != nil) {
					t.Fatalf("household %d: explanation %q, evaluation %+v", hs[i].ID, ex.ZH(), rs[i])
				}
			}
			// The sample must exercise each answer, or the test proves little.
			if counts[tru] == 0 || counts[fls] == 0 {
				t.Errorf("the random households do not exercise the rule: %v", counts)
			}
		})
	}
}
