package rules

import (
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
			// The sample must exercise each answer, or the test proves little.
			if counts[tru] == 0 || counts[fls] == 0 {
				t.Errorf("the random households do not exercise the rule: %v", counts)
			}
		})
	}
}
