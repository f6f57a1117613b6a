package rules

import (
	"reflect"
	"testing"
)

// TestBoundAgreesWithProgram: a program bound once to the parameters and
// run over many households answers and explains each exactly as Eval and
// Explain do household by household.
func TestBoundAgreesWithProgram(t *testing.T) {
	e := mustEnv(t, Config{})
	hs := randomHouseholds(7, 2000)
	for _, gr := range goRules {
		t.Run(gr.name, func(t *testing.T) {
			p := mustCheck(t, e, gr.src)
			b := p.Bind(testParams)
			for i := range hs {
				want := p.Eval(t.Context(), testParams, &hs[i])
				got := b.Eval(&hs[i])
				if got.Matched != want.Matched || (got.Err == nil) != (want.Err == nil) || !reflect.DeepEqual(got.Missing, want.Missing) {
					t.Fatalf("household %d: bound %+v, eval %+v", hs[i].ID, got, want)
				}
				if i%10 != 0 {
					continue
				}
				wex := p.Explain(t.Context(), testParams, &hs[i])
				gex := b.Explain(t.Context(), &hs[i], got)
				if gex.ZH() != wex.ZH() || gex.EN() != wex.EN() || gex.Result.Matched != wex.Result.Matched {
					t.Fatalf("household %d: bound explains %q, Explain %q", hs[i].ID, gex.ZH(), wex.ZH())
				}
			}
		})
	}
}

// TestDataHash: the fingerprint ignores the order of categories, measures
// and members and changes with any value a rule reads, and with the
// parameter values.
func TestDataHash(t *testing.T) {
	hs := randomHouseholds(3, 200)
	seed := ParamsHash(testParams)
	for i := range hs {
		h := hs[i]
		base := DataHash(&h, seed)
		if len(h.Members) > 1 {
			r := h
			r.Members = append([]Member(nil), h.Members...)
			r.Members[0], r.Members[1] = r.Members[1], r.Members[0]
			if DataHash(&r, seed) != base {
				t.Fatalf("household %d: member order changes the hash", h.ID)
			}
		}
		changes := []func(*Household){
			func(x *Household) { x.IncomePerCapita++ },
			func(x *Household) { x.IncomeKnown = !x.IncomeKnown },
			func(x *Household) { x.Housing += "x" },
			func(x *Household) { x.Categories = append(append([]string(nil), x.Categories...), "new") },
			func(x *Household) { x.Measures = append(append([]string(nil), x.Measures...), "dibao2") },
			func(x *Household) { x.Former = append(append([]Member(nil), x.Former...), Member{ID: 999}) },
		}
		if len(h.Members) > 0 {
			changes = append(changes,
				func(x *Household) { x.Members = append([]Member(nil), x.Members...); x.Members[0].Age++ },
				func(x *Household) { x.Members = append([]Member(nil), x.Members...); x.Members[0].DisabilityGrade++ },
				func(x *Household) {
					x.Members = append([]Member(nil), x.Members...)
					x.Members[0].Categories = append(append([]string(nil), x.Members[0].Categories...), "disabled")
				},
				// A member becoming a former member is a change.
				func(x *Household) {
					x.Former = append(append([]Member(nil), x.Former...), x.Members[0])
					x.Members = x.Members[1:]
				},
			)
		}
		for j, change := range changes {
			c := h
			change(&c)
			if DataHash(&c, seed) == base {
				t.Fatalf("household %d: change %d keeps the hash", h.ID, j)
			}
		}
	}
	other := Params{}
	for k, v := range testParams {
		other[k] = v
	}
	other["dibao_line"] = 1.0
	if ParamsHash(other) == seed {
		t.Fatal("another dibao line keeps the parameters' hash")
	}
}
