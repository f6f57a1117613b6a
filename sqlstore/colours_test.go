package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func colourOf(t *testing.T, s *sqlstore.Store, a access.Actor, id int64) (sqlstore.HouseholdColour, []sqlstore.ColourChange) {
	t.Helper()
	c, _, hist, err := s.HouseholdColour(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	return c, hist
}

// TestColoursStory follows a monitored household's colour: green when
// nothing is open, red when a clue opens, yellow once a measure is in
// force, and while it stays in force after the case closes; a
// published county rule recolours it; leaving monitoring takes the colour
// away; every change is in the history.
func TestColoursStory(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		plain, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾6号"},
			safetynet.PersonInput{Name: "王大爷"})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != "" {
			t.Fatalf("a household not monitored has colour %q", c.Colour)
		}
		// Included in monitoring: green, stable.
		mon, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{
			Category: safetynet.CatMonitorMarginal, RiskType: "illness", Start: clock.Now().AddDate(0, -2, 0)})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != rules.ColourGreen || c.ExplainZH == "" || c.RuleVersion != 0 {
			t.Fatalf("monitored, nothing open: %+v", c)
		}
		// A clue opens: red, the reason naming the risk.
		clue, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: "col-1", HouseholdID: f.household, Kinds: []string{"illness"}, Urgency: "urgent"})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != rules.ColourRed || !strings.Contains(c.ExplainZH, "未解决风险：生病住院") {
			t.Fatalf("open clue, no measure: %+v", c)
		}
		// Verified into a case with an application approved: yellow.
		caseID, err := s.VerifyClue(ctx, f.village, clue.ID, sqlstore.Verification{Decision: "open_case", Risks: []string{"illness"}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != rules.ColourRed {
			t.Fatalf("open case, no measure yet: %+v", c)
		}
		item, err := s.ApplyMeasure(ctx, f.village, caseID, sqlstore.Application{Measure: "temporary", AmountFen: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecideApplication(ctx, f.town, item, true, "", 0); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		c, _ := colourOf(t, s, f.village, f.household)
		if c.Colour != rules.ColourYellow {
			t.Fatalf("measure in force: %+v", c)
		}
		// Filter and counts.
		hs, err := s.Households(ctx, f.town, sqlstore.HouseholdFilter{Colour: rules.ColourYellow})
		if err != nil || len(hs) != 1 || hs[0].ID != f.household {
			t.Fatalf("yellow households: %v %v", hs, err)
		}
		if _, err := s.Households(ctx, f.town, sqlstore.HouseholdFilter{Colour: "blue"}); code(err) != safetynet.EInvalid {
			t.Fatalf("unknown colour: %v", err)
		}
		counts, err := s.ColourCounts(ctx, f.county, "")
		if err != nil || counts[rules.ColourYellow] != 1 || len(counts) != 1 {
			t.Fatalf("counts %v %v", counts, err)
		}
		// Closing the case: the approved measure (no period) stays in force: still yellow, for a new reason.
		k, err := s.CaseView(ctx, f.village, caseID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CloseCase(ctx, f.village, caseID, "risk_eliminated", "", k.Case.Version); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c2, _ := colourOf(t, s, f.village, f.household); c2.Colour != rules.ColourYellow || c2.ExplainZH == c.ExplainZH || !c2.Since.Equal(c.Since) {
			t.Fatalf("case closed: %+v (before %+v)", c2, c)
		}

		// The county publishes its own rules: stale versions and bad text are refused.
		cur, versions, err := s.ColourRules(ctx, f.village, "530325")
		if err != nil || cur.Published != 0 || cur.Red != rules.DefaultRedRule || cur.Version != 1 || len(versions) != 0 {
			t.Fatalf("default rules: %+v %v %v", cur, versions, err)
		}
		if _, err := s.PublishColourRules(ctx, f.village, "530325", "true", "false", 1); code(err) != safetynet.EForbidden {
			t.Fatalf("village staff publish: %v", err)
		}
		if _, err := s.PublishColourRules(ctx, f.county, "530325", "h.open_clue > 0", "false", 1); code(err) != safetynet.EInvalid ||
			fieldOf(err) != "red" {
			t.Fatalf("misspelt field: %v", err)
		}
		if _, err := s.PublishColourRules(ctx, f.county, "430112", "true", "false", 1); code(err) != safetynet.ENotFound {
			t.Fatalf("another county: %v", err)
		}
		pv, err := s.PreviewColours(ctx, f.county, "530325", "h.monitored_months >= 1", "false")
		if err != nil || pv.Total != 1 || pv.Counts[rules.ColourRed] != 1 {
			t.Fatalf("preview: %+v %v", pv, err)
		}
		n, err := s.PublishColourRules(ctx, f.county, "530325", "h.monitored_months >= 1", "false", 1)
		if err != nil || n != 1 {
			t.Fatalf("publish: %d %v", n, err)
		}
		if _, err := s.PublishColourRules(ctx, f.county, "530325", "true", "false", 1); code(err) != safetynet.EConflict {
			t.Fatalf("stale publish: %v", err)
		}
		drain(t, s)
		c, hist := colourOf(t, s, f.village, f.household)
		if c.Colour != rules.ColourRed || c.RuleVersion != 1 || !strings.Contains(c.ExplainZH, "监测月数") {
			t.Fatalf("after publishing: %+v", c)
		}
		if cur, versions, _ := s.ColourRules(ctx, f.town, "530325"); cur.Published != 1 || cur.Version != 2 || len(versions) != 1 {
			t.Fatalf("versions kept: %+v %v", cur, versions)
		}
		// Leaving monitoring takes the colour away; the history keeps every change.
		if err := s.EndCategory(ctx, f.village, mon, safetynet.EndAssignment{End: clock.Now(), Reason: "risk_eliminated"}); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		c, hist = colourOf(t, s, f.village, f.household)
		if c.Colour != "" || len(hist) != 5 || hist[0].Colour != "" || hist[0].Previous != rules.ColourRed || hist[len(hist)-1].Colour != rules.ColourGreen {
			t.Fatalf("left monitoring: %+v %+v", c, hist)
		}
		if c, _ := colourOf(t, s, f.village, plain); c.Colour != "" {
			t.Fatalf("plain household coloured: %+v", c)
		}
		// Outside the area: not found.
		other := actorOf(mustUser(t, s, access.System(), "xiyang2", safetynet.RoleVillageStaff, "530325002010"))
		if _, _, _, err := s.HouseholdColour(ctx, other, f.household); code(err) != safetynet.ENotFound {
			t.Fatalf("other village: %v", err)
		}
	})
}

// TestColoursOverdue turns a household red when a step of its case passes
// its deadline and the sweep escalates it.
func TestColoursOverdue(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{
			Category: safetynet.CatMonitorSudden, RiskType: "illness", Start: clock.Now()}); err != nil {
			t.Fatal(err)
		}
		caseID, err := s.OpenCase(ctx, f.village, f.household, "normal", []string{"illness"}, "")
		if err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != rules.ColourRed || !strings.Contains(c.ExplainZH, "因病") {
			t.Fatalf("open case, no measure: %+v", c)
		}
		item, err := s.ApplyMeasure(ctx, f.village, caseID, sqlstore.Application{Measure: "temporary", AmountFen: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecideApplication(ctx, f.town, item, true, "", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScheduleFollowup(ctx, f.village, caseID, clock.Now().AddDate(0, 0, 3)); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != rules.ColourYellow {
			t.Fatalf("measure in force: %+v", c)
		}
		clock.Advance(30 * 24 * time.Hour)
		if _, err := s.Escalate(ctx); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != rules.ColourRed || !strings.Contains(c.ExplainZH, "超时环节数") {
			t.Fatalf("overdue step: %+v", c)
		}
	})
}

// TestColoursClueClosed: a clue verified with no action closes, and the
// household is green again; a household that is not monitored gets no
// colour from its clues.
func TestColoursClueClosed(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		plain, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾7号"},
			safetynet.PersonInput{Name: "李大妈"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{
			Category: safetynet.CatMonitorUnstable, RiskType: "labour", Start: clock.Now().AddDate(-1, 0, 0)}); err != nil {
			t.Fatal(err)
		}
		var clues []int64
		for i, h := range []int64{f.household, plain} {
			c, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: fmt.Sprint("cc-", i), HouseholdID: h, Kinds: []string{"no_food"}, Urgency: "urgent"})
			if err != nil {
				t.Fatal(err)
			}
			clues = append(clues, c.ID)
		}
		drain(t, s)
		if c, _ := colourOf(t, s, f.village, f.household); c.Colour != rules.ColourRed || !strings.Contains(c.ExplainZH, "缺少食物") {
			t.Fatalf("open clue: %+v", c)
		}
		if c, _ := colourOf(t, s, f.village, plain); c.Colour != "" {
			t.Fatalf("a household not monitored is coloured by its clue: %+v", c)
		}
		if _, err := s.VerifyClue(ctx, f.village, clues[0], sqlstore.Verification{Decision: "no_action"}, 0); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		c, hist := colourOf(t, s, f.village, f.household)
		if c.Colour != rules.ColourGreen || len(hist) != 2 || hist[0].Previous != rules.ColourRed {
			t.Fatalf("clue closed: %+v %+v", c, hist)
		}
	})
}
