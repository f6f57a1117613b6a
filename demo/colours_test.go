package demo_test

import (
	"context"

	"testing"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/rules"
	"safetynet/sqlstore/storetest"
)

// TestDemoColours: the demo's monitored households of 腰站社区 take all
// three colours once the queue is screened.
func TestDemoColours(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{Households: 200, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := s.ScreenQueued(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	counts, err := s.ColourCounts(ctx, access.System(), demo.Yaozhan)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{rules.ColourRed, rules.ColourYellow, rules.ColourGreen} {
		if counts[c] == 0 {
			t.Errorf("no %s household in 腰站社区: %v", c, counts)
		}
	}
}
