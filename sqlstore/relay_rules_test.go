package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"safetynet"
	"safetynet/relay"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestEscalationTextsFromRelay checks that the set-based sweep writes the
// messages relay words: one per step for a few steps passed to a place,
// one saying how many past relay.DigestOver.
func TestEscalationTextsFromRelay(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		report := func(n int, prefix string) {
			for i := 0; i < n; i++ {
				if _, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: fmt.Sprintf("%s-%d", prefix, i),
					HouseholdID: f.household, Kinds: []string{"illness"}, Urgency: "normal"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		bodies := func() map[string]int {
			clock.Advance(time.Minute)
			msgs, err := s.Claim(ctx, "test", clock.Now(), 1000, 365*24*time.Hour) // claimed once: never again
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, m := range msgs {
				if m.Subject == relay.EscalatedSubject && m.Recipient == "shengjing" {
					out[m.Body]++
				}
			}
			return out
		}
		town, err := s.Place(ctx, f.town, "530325002")
		if err != nil {
			t.Fatal(err)
		}
		report(relay.DigestOver, "few")
		bodies() // the new-clue messages
		clock.Advance(25 * time.Hour)
		if res, err := s.Escalate(ctx); err != nil || res.Escalated != relay.DigestOver {
			t.Fatalf("escalate = %+v %v", res, err)
		}
		if got := bodies(); got[relay.EscalatedBody(town.Name)] != relay.DigestOver || len(got) != 1 {
			t.Errorf("few steps: town's messages = %v, want %d × %q", got, relay.DigestOver, relay.EscalatedBody(town.Name))
		}
		report(relay.DigestOver+1, "many")
		bodies()
		clock.Advance(25 * time.Hour)
		if _, err := s.Escalate(ctx); err != nil {
			t.Fatal(err)
		}
		want := relay.DigestBody(fmt.Sprint(relay.DigestOver+1), town.Name)
		if got := bodies(); got[want] != 1 || len(got) != 1 {
			t.Errorf("many steps: town's messages = %v, want one %q", got, want)
		}
	})
}
