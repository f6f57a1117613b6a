package rules

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestPerHouseholdErrors(t *testing.T) {
	e := mustEnv(t, Config{})
	// 100 / (size - 2): households of two fail with division by zero.
	p := mustCheck(t, e, `100 / (h.size - 2) > 10`)
	hs := []Household{
		{ID: 1, Members: []Member{member(30, 0), member(31, 0), member(5, 0)}}, // 100/1 > 10
		{ID: 2, Members: []Member{member(30, 0), member(31, 0)}},               // division by zero
		{ID: 3, Members: []Member{member(30, 0), member(31, 0), member(5, 0), member(2, 0), // 100/10
			member(1, 0), member(1, 0), member(1, 0), member(1, 0), member(1, 0), member(1, 0), member(1, 0), member(1, 0)}},
	}
	rs := EvaluateAll(t.Context(), p, testParams, hs)
	if !rs[0].Matched || rs[0].Err != nil {
		t.Errorf("household 1: %+v", rs[0])
	}
	if rs[1].Matched || rs[1].Err == nil || !strings.Contains(rs[1].Err.Error(), "division by zero") {
		t.Errorf("household 2 should fail with division by zero, got %+v", rs[1])
	}
	if rs[2].Matched || rs[2].Err != nil || rs[2].HouseholdID != 3 {
		t.Errorf("household 3 should not match and not fail, got %+v", rs[2])
	}
}

func TestRuntimeCostLimit(t *testing.T) {
	e := mustEnv(t, Config{CostLimit: 2000})
	p := mustCheck(t, e, `h.members.exists(m, m.age > 200)`)
	big := Household{ID: 9}
	for range 1000 { // far beyond MaxMembers, which the estimate assumed
		big.Members = append(big.Members, member(40, 0))
	}
	small := Household{ID: 10, Members: []Member{member(40, 0)}}
	rs := EvaluateAll(t.Context(), p, nil, []Household{big, small})
	if rs[0].Matched || rs[0].Err == nil || !strings.Contains(rs[0].Err.Error(), "cost") {
		t.Errorf("a household over the cost limit: got %+v", rs[0])
	}
	if rs[1].Err != nil || rs[1].Matched {
		t.Errorf("the next household was affected: %+v", rs[1])
	}
}

func TestCancellation(t *testing.T) {
	e := mustEnv(t, Config{})
	p := mustCheck(t, e, `h.size > 0`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	hs := make([]Household, 1000)
	for i := range hs {
		hs[i] = Household{ID: int64(i), Members: []Member{member(1, 0)}}
	}
	for _, r := range EvaluateAll(ctx, p, nil, hs) {
		if r.Matched || !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("after cancellation: %+v", r)
		}
	}
}

func TestEvaluateAllOrder(t *testing.T) {
	e := mustEnv(t, Config{})
	p := mustCheck(t, e, `h.income_per_capita < params.dibao_line`)
	hs := make([]Household, 3000)
	for i := range hs {
		hs[i] = income(float64(i * 3))
		hs[i].ID = int64(i)
	}
	for i, r := range EvaluateAll(t.Context(), p, testParams, hs) {
		if r.HouseholdID != int64(i) || r.Matched != (float64(i*3) < 5880) {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
}

func TestSanityWarnings(t *testing.T) {
	e := mustEnv(t, Config{})
	sample := make([]Household, 200)
	for i := range sample {
		sample[i] = income(float64(i * 50))
	}
	tests := []struct {
		rule string
		want string
	}{
		{`h.size >= 0`, "matches_all"},
		{`h.income_per_capita >= 0.0`, "matches_all"},
		{`h.size < 0`, "matches_none"},
		{`h.income_per_capita < params.dibao_line`, ""},
		{`h.has("低保户")`, "matches_none"},
	}
	for _, tt := range tests {
		s := ShareOf(t.Context(), mustCheck(t, e, tt.rule), testParams, sample)
		ws := s.Warnings(DefaultThresholds)
		got := ""
		if len(ws) > 0 {
			got = ws[0].Code
			if ws[0].ZH == "" || ws[0].EN == "" {
				t.Errorf("%s: warning without text", tt.rule)
			}
		}
		if got != tt.want {
			t.Errorf("%s: share %+v, warning %q, want %q", tt.rule, s, got, tt.want)
		}
	}
	s := ShareOf(t.Context(), mustCheck(t, e, `100 / (h.size - 1) > 0`), testParams, sample)
	if ws := s.Warnings(DefaultThresholds); len(ws) == 0 || ws[len(ws)-1].Code != "errors" {
		t.Errorf("a rule failing on every household: %+v %+v", s, ws)
	}
}
