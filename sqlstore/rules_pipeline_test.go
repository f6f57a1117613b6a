package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	"safetynet/rules"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestScreenAllEditMeanwhile: a full screening reads and evaluates a chunk
// outside the writer; a household edited between that read and the write
// keeps no answer from its old data: it stays queued and the next
// screening answers from the edit, both ways (off the list, back on it).
func TestScreenAllEditMeanwhile(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		if err := s.SetParam(ctx, f.county, "530325", 2026, "dibao_line", 5880); err != nil {
			t.Fatal(err)
		}
		setIncome(t, s, f.village, f.household, 300000)
		id, err := s.CreateRule(ctx, f.county, sqlstore.RuleInput{Name: "低保准入", Measure: "dibao", Kind: rules.KindEligibility,
			Place: "530325", Source: dibaoRule})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := s.Rule(ctx, f.county, id)
		if _, err := s.PublishRule(ctx, f.county, id, r.Version); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		eligible := func() int {
			return len(lines(t, s, f.village, sqlstore.ListFilter{List: rules.ListEligible}))
		}
		if n := eligible(); n != 1 {
			t.Fatalf("%d lines before the screening, want 1", n)
		}
		for _, step := range []struct {
			name  string
			fen   int64
			lines int
		}{{"income raised above the line", 900000, 0}, {"income back below the line", 300000, 1}} {
			edited := false
			restore := sqlstore.SetScreenAllBeforeWrite(func(ids []int64) {
				if !edited && slices.Contains(ids, f.household) {
					edited = true
					setIncome(t, s, f.village, f.household, step.fen)
				}
			})
			_, err := s.ScreenAll(ctx, "", nil)
			restore()
			if err != nil {
				t.Fatal(err)
			}
			if !edited {
				t.Fatalf("%s: the household was not screened", step.name)
			}
			// The screening wrote nothing from the data read before the
			// edit, and left the household queued.
			if n := eligible(); n == step.lines {
				t.Fatalf("%s: the full screening answered from the data read before the edit", step.name)
			}
			n, err := s.ScreenQueued(ctx, 100)
			if err != nil || n != 1 {
				t.Fatalf("%s: %d households left queued (%v), want 1", step.name, n, err)
			}
			if n := eligible(); n != step.lines {
				t.Fatalf("%s: %d lines after the queue was drained, want %d", step.name, n, step.lines)
			}
		}
	})
}

// TestScreenAllRulePublishedMeanwhile: a rule published while a full
// screening runs (with the rules it started with) leaves the households
// of its place queued, even those queued before the screening started:
// the next screening gives them the new rule's answer.
func TestScreenAllRulePublishedMeanwhile(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		if err := s.SetParam(ctx, f.county, "530325", 2026, "dibao_line", 5880); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		setIncome(t, s, f.village, f.household, 300000) // queued before the screening starts
		clock.Set(time.Date(2026, 3, 2, 9, 1, 0, 0, time.Local))
		id, err := s.CreateRule(ctx, f.county, sqlstore.RuleInput{Name: "低保准入", Measure: "dibao", Kind: rules.KindEligibility,
			Place: "530325", Source: dibaoRule})
		if err != nil {
			t.Fatal(err)
		}
		published := false
		restore := sqlstore.SetScreenAllBeforeWrite(func(ids []int64) {
			if !published && slices.Contains(ids, f.household) {
				published = true
				clock.Set(time.Date(2026, 3, 2, 9, 2, 0, 0, time.Local))
				r, _ := s.Rule(ctx, f.county, id)
				if _, err := s.PublishRule(ctx, f.county, id, r.Version); err != nil {
					t.Error(err)
				}
			}
		})
		clock.Set(time.Date(2026, 3, 2, 9, 1, 30, 0, time.Local))
		_, err = s.ScreenAll(ctx, "", nil)
		restore()
		if err != nil || !published {
			t.Fatalf("screening: %v, rule published meanwhile: %v", err, published)
		}
		drain(t, s)
		if ls := lines(t, s, f.village, sqlstore.ListFilter{List: rules.ListEligible}); len(ls) != 1 {
			t.Fatalf("the rule published during the full screening has %d lines after the queue was drained, want 1", len(ls))
		}
	})
}
