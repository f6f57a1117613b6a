package demo_test

import (
	"context"
	"testing"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/rules"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoRules: the demo publishes its rules for 富源县 and, once the
// register is screened, 富源县 has a 应享未享 list with explanations.
func TestDemoRules(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{Households: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	st, err := s.ScreenAll(ctx, demo.Fuyuan, nil)
	if err != nil || st.Rules != len(demo.Rules) || st.Households == 0 {
		t.Fatalf("screen = %+v %v", st, err)
	}
	ls, err := s.ScreeningList(ctx, access.System(), sqlstore.ListFilter{Place: demo.Fuyuan, List: rules.ListEligible})
	if err != nil || len(ls) == 0 || ls[0].ExplainZH == "" {
		t.Fatalf("富源县 list = %d lines %v", len(ls), err)
	}
}
