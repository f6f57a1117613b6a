package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/idcard"
	"safetynet/rules"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestFormerMembersWhoMoved: a person who moved to another household is
// among the former members of the household left (moved away, with the
// relation held there and the categories held now) and a member of the
// new one only — in screening, in the preview and in a full screening.
func TestFormerMembersWhoMoved(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		son, err := s.AddPerson(ctx, f.village, f.household, safetynet.PersonInput{Name: "宋大", Relation: "son",
			IDNumber: newID("1970-03-04", idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectPerson, son,
			safetynet.NewAssignment{Category: "disabled", Start: clock.Now()}); err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾7号"},
			safetynet.PersonInput{Name: "李大", IDNumber: newID("1968-01-02", idcard.Female)})
		if err != nil {
			t.Fatal(err)
		}
		// A rule on former members who moved away, and one on members.
		moved := `h.former_members.exists(m, m.moved_away && !m.deceased && m.relation == "子" && m.has("残疾人"))`
		id, err := s.CreateRule(ctx, f.county, sqlstore.RuleInput{Name: "迁出成员", Measure: "temporary", Kind: rules.KindEligibility,
			Place: "530325", Source: moved})
		if err != nil {
			t.Fatal(err)
		}
		if pv, err := s.PreviewRule(ctx, f.county, id); err != nil || pv.Count != 0 || pv.Total != 2 {
			t.Fatalf("preview before the move = %+v %v", pv, err)
		}
		r, _ := s.Rule(ctx, f.county, id)
		if _, err := s.PublishRule(ctx, f.county, id, r.Version); err != nil {
			t.Fatal(err)
		}
		member, err := s.CreateRule(ctx, f.county, sqlstore.RuleInput{Name: "残疾成员", Measure: "disability", Kind: rules.KindEligibility,
			Place: "530325", Source: `h.members.exists(m, m.has("残疾人"))`})
		if err != nil {
			t.Fatal(err)
		}
		r, _ = s.Rule(ctx, f.county, member)
		if _, err := s.PublishRule(ctx, f.county, member, r.Version); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		listed := func(measure string) []int64 {
			t.Helper()
			var ids []int64
			for _, l := range lines(t, s, f.village, sqlstore.ListFilter{List: rules.ListEligible, Measure: measure}) {
				ids = append(ids, l.HouseholdID)
			}
			return ids
		}
		if got := listed("disability"); len(got) != 1 || got[0] != f.household {
			t.Fatalf("before the move, disability list = %v, want the son's household %d", got, f.household)
		}
		if got := listed("temporary"); len(got) != 0 {
			t.Fatalf("before the move, moved-away list = %v", got)
		}

		if err := s.MovePersons(ctx, f.village, sqlstore.Move{Persons: []int64{son}, To: other, Relation: "spouse"}); err != nil {
			t.Fatal(err)
		}
		drain(t, s) // both households were queued by the move
		if got := listed("temporary"); len(got) != 1 || got[0] != f.household {
			t.Fatalf("after the move, moved-away list = %v, want the household left %d", got, f.household)
		}
		if got := listed("disability"); len(got) != 1 || got[0] != other {
			t.Fatalf("after the move, disability list = %v, want the new household %d", got, other)
		}
		if pv, err := s.PreviewRule(ctx, f.county, id); err != nil || pv.Count != 1 || pv.Lines[0].HouseholdID != f.household {
			t.Fatalf("preview after the move = %+v %v", pv, err)
		}
		// A full screening gives the same answers and changes nothing.
		st, err := s.ScreenAll(ctx, "530325", nil)
		if err != nil || st.Households != 2 || st.Changed != 0 || st.Lines != 0 {
			t.Fatalf("full screening after the move = %+v %v", st, err)
		}
		// Moving back: a member again, no longer a former member.
		if err := s.MovePersons(ctx, f.village, sqlstore.Move{Persons: []int64{son}, To: f.household, Relation: "son"}); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if got := listed("temporary"); len(got) != 0 {
			t.Fatalf("after moving back, moved-away list = %v", got)
		}
		if got := listed("disability"); len(got) != 1 || got[0] != f.household {
			t.Fatalf("after moving back, disability list = %v", got)
		}
	})
}

// TestRuleResultsKeepChanges: a rule that does not match a household
// leaves nothing in its history; matching, then not matching any more,
// are the two changes recorded; screening again records nothing.
func TestRuleResultsKeepChanges(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		setIncome(t, s, f.village, f.household, 900000)
		if err := s.SetParam(ctx, f.county, "530325", 2026, "dibao_line", 5880.0); err != nil {
			t.Fatal(err)
		}
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
		history := func() []sqlstore.RuleHistoryEntry {
			t.Helper()
			h, err := s.HouseholdRuleHistory(ctx, f.village, f.household)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		if h := history(); len(h) != 0 {
			t.Fatalf("history of a household the rule does not match = %+v", h)
		}
		setIncome(t, s, f.village, f.household, 300000)
		drain(t, s)
		if h := history(); len(h) != 1 || !h[0].Matched || h[0].ExplainZH == "" {
			t.Fatalf("history after matching = %+v", h)
		}
		// A new parameter value: the same answer, explained again with it.
		before := lines(t, s, f.village, sqlstore.ListFilter{List: rules.ListEligible})
		if err := s.SetParam(ctx, f.county, "530325", 2026, "dibao_line", 6120.0); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		after := lines(t, s, f.village, sqlstore.ListFilter{List: rules.ListEligible})
		if len(before) != 1 || len(after) != 1 || !strings.Contains(before[0].ExplainZH, "5,880") || !strings.Contains(after[0].ExplainZH, "6,120") {
			t.Fatalf("explanations before and after the new dibao line: %+v, %+v", before, after)
		}
		if h := history(); len(h) != 2 || !h[0].Matched || !strings.Contains(h[0].ExplainZH, "6,120") {
			t.Fatalf("history after the new dibao line = %+v", h)
		}
		setIncome(t, s, f.village, f.household, 900000)
		drain(t, s)
		if h := history(); len(h) != 3 || h[0].Matched || h[0].Err != "" || !h[1].Matched {
			t.Fatalf("history after matching no more = %+v", h)
		}
		st, err := s.ScreenAll(ctx, "", nil)
		if err != nil || st.Evaluations != 1 || st.Changed != 0 {
			t.Fatalf("screening again = %+v %v", st, err)
		}
		if h := history(); len(h) != 3 {
			t.Fatalf("history after screening again = %+v", h)
		}
	})
}
