package sqlstore_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/relay"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// relayFixture is a county with a town, a village with a group and grid,
// the staff of each level and a household living in the grid.
type relayFixture struct {
	s                           *sqlstore.Store
	grid, village, town, county access.Actor
	household                   int64
}

const relayTree = smallTree + "530325002009-01,棠梨湾居民小组,group,530325002009\n530325002009-01-01,棠梨湾第一网格,grid,530325002009-01\n"

func newRelay(t *testing.T, s *sqlstore.Store) relayFixture {
	t.Helper()
	mustImport(t, s, relayTree)
	sys := access.System()
	f := relayFixture{s: s}
	f.grid = actorOf(mustUser(t, s, sys, "gridw", safetynet.RoleGridWorker, "530325002009-01-01"))
	village, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: "yaozhan", DisplayName: "腰站李梅", Role: safetynet.RoleVillageStaff,
		PlaceCode: "530325002009", Password: "secret-yaozhan"})
	if err != nil {
		t.Fatal(err)
	}
	f.village = actorOf(village)
	f.town = actorOf(mustUser(t, s, sys, "shengjing", safetynet.RoleTownOfficer, "530325002"))
	f.county = actorOf(mustUser(t, s, sys, "fuyuan", safetynet.RoleCountyOfficer, "530325"))
	f.household, err = s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾5号"},
		safetynet.PersonInput{Name: "宋奶奶", IDNumber: newID("1945-05-05", idcard.Female)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func unread(t *testing.T, s *sqlstore.Store, a access.Actor) int {
	t.Helper()
	n, err := s.Unread(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRelayStory(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 7, 50, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 7, 28, 7, 50, 0, 0, time.Local))
		f := newRelay(t, s)
		// 7:50 the grid worker reports a fall, urgent; sending it twice makes one clue.
		in := safetynet.NewClue{ClientID: "c-1", HouseholdID: f.household, Kinds: []string{"fall"}, Urgency: "urgent", Note: "在家滑倒"}
		c, created, err := s.ReportClue(ctx, f.grid, in)
		if err != nil || !created || c.Status != relay.ClueReported || c.VillageCode != "530325002009" || c.SubjectName != "宋奶奶" {
			t.Fatalf("report = %+v %v %v", c, created, err)
		}
		again, created, err := s.ReportClue(ctx, f.grid, in)
		if err != nil || created || again.ID != c.ID {
			t.Fatalf("resend = %+v %v %v", again, created, err)
		}
		if c.Due == nil || c.Due.Kind != sqlstore.StepAcknowledge || c.Due.Level != safetynet.LevelVillage || !c.Due.DueAt.Equal(clock.Now().Add(2*time.Hour)) {
			t.Fatalf("step = %+v", c.Due)
		}
		if unread(t, s, f.village) != 1 {
			t.Fatalf("village staff not told")
		}
		// The community acknowledges at 8:10; a second acknowledgement is a conflict naming the first by name.
		clock.Advance(20 * time.Minute)
		if err := s.AcknowledgeClue(ctx, f.village, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if err := s.AcknowledgeClue(ctx, f.town, c.ID, 0); safetynet.CodeOf(err) != safetynet.EConflict || !strings.Contains(err.Error(), "腰站李梅") {
			t.Fatalf("second acknowledgement: %v, want it to name 腰站李梅", err)
		}
		if unread(t, s, f.grid) != 1 {
			t.Fatalf("reporter not told of the acknowledgement")
		}
		// The specialist verifies at home and opens a case with emergency help.
		clock.Advance(time.Hour)
		caseID, err := s.VerifyClue(ctx, f.village, c.ID, sqlstore.Verification{Decision: "emergency", Risks: []string{"accident", "illness"},
			Checklist: map[string]string{"food": "problem", "medical": "problem", "housing": "ok"}, Note: "右腿骨折，独居"}, 0)
		if err != nil || caseID == 0 {
			t.Fatalf("verify = %d %v", caseID, err)
		}
		hv, _ := s.HouseholdView(ctx, f.village, f.household)
		cats := map[string]bool{}
		for _, a := range hv.Household.Categories {
			cats[a.Category+":"+a.RiskType] = true
		}
		if !cats["monitor_sudden:accident"] || !cats["risk:accident"] || !cats["risk:illness"] {
			t.Fatalf("register after opening: %v", cats)
		}
		if unread(t, s, f.town) != 1 {
			t.Fatalf("town not told of the urgent case")
		}
		// Emergency help and meal delivery; temporary assistance of 3,000 yuan decided by the town.
		if _, err := s.AddEmergency(ctx, f.village, caseID, sqlstore.Emergency{Description: "送医救治", Provider: "社区民政专干"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddEmergency(ctx, f.village, caseID, sqlstore.Emergency{Description: "邻里接龙送餐", Provider: "爱心邻里"}); err != nil {
			t.Fatal(err)
		}
		app, err := s.ApplyMeasure(ctx, f.village, caseID, sqlstore.Application{Measure: "temporary", AmountFen: 300000})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecideApplication(ctx, f.village, app, true, "", 0); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Fatalf("village decides a town application: %v", err)
		}
		if err := s.DecideApplication(ctx, f.county, app, true, "", 0); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Fatalf("county decides a town application: %v", err)
		}
		if err := s.DecideApplication(ctx, f.town, app, false, "", 0); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("rejection without reason: %v", err)
		}
		if err := s.DecideApplication(ctx, f.town, app, true, "", 0); err != nil {
			t.Fatal(err)
		}
		// Above 5,000 yuan temporary assistance goes to the county.
		big, _ := s.ApplyMeasure(ctx, f.village, caseID, sqlstore.Application{Measure: "temporary", AmountFen: 800000})
		if err := s.DecideApplication(ctx, f.town, big, true, "", 0); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Fatalf("town decides a county application: %v", err)
		}
		if err := s.DecideApplication(ctx, f.county, big, false, "已给予临时救助", 0); err != nil {
			t.Fatal(err)
		}
		// Follow-ups, then after two months the case closes: risk eliminated.
		fu, err := s.ScheduleFollowup(ctx, f.village, caseID, clock.Now().AddDate(0, 0, 7))
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(7 * 24 * time.Hour)
		// The visit waits for the grid worker of the household's grid: she records it.
		if err := s.CompleteFollowup(ctx, f.grid, fu, "能下床走动", clock.Now().AddDate(0, 0, 14)); err != nil {
			t.Fatalf("grid worker records the follow-up she is shown: %v", err)
		}
		if err := s.CompleteFollowup(ctx, f.village, fu, "能下床走动", time.Time{}); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Fatalf("a follow-up recorded twice: %v", err)
		}
		clock.Advance(60 * 24 * time.Hour)
		view, err := s.CaseView(ctx, f.village, caseID)
		if err != nil {
			t.Fatal(err)
		}
		if view.Case.FirstHelpAt.IsZero() || len(view.Measures) != 4 || len(view.Followups) != 2 {
			t.Fatalf("case = %+v measures %d follow-ups %d", view.Case, len(view.Measures), len(view.Followups))
		}
		if err := s.CloseCase(ctx, f.village, caseID, "risk_eliminated", "已基本恢复，生活能自理", view.Case.Version); err != nil {
			t.Fatal(err)
		}
		hv, _ = s.HouseholdView(ctx, f.village, f.household)
		if len(hv.Household.Categories) != 0 {
			t.Fatalf("categories after risk eliminated: %+v", hv.Household.Categories)
		}
		ended := 0
		for _, a := range hv.History {
			if a.EndReason == "risk_eliminated" {
				ended++
			}
		}
		if ended != 3 {
			t.Fatalf("history = %+v", hv.History)
		}
		// Nothing is left to do, and the figures show the story.
		items, total, err := s.WorkList(ctx, f.county, sqlstore.WorkFilter{})
		if err != nil || total != 0 {
			t.Fatalf("open steps = %d %+v %v", total, items, err)
		}
		fig, err := s.Figures(ctx, f.county, "", clock.Now().AddDate(0, -3, 0), clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		cur := fig.Place.Current
		if cur.Clues != 1 || cur.BySource["grid"] != 1 || cur.Households != 1 || cur.RiskEliminated != 1 ||
			cur.ToAcknowledge.Median != 20*time.Minute || cur.ToVerify.Median != 80*time.Minute {
			t.Fatalf("figures = %+v", cur)
		}
		if len(fig.ByChild) != 2 || fig.ChildLevel != safetynet.LevelTown {
			t.Fatalf("children = %+v", fig.ByChild)
		}
	})
}

func TestEscalation(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		c, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: "e-1", HouseholdID: f.household, Kinds: []string{"no_food"}, Urgency: "urgent"})
		if err != nil {
			t.Fatal(err)
		}
		sweep := func() int {
			res, err := s.Escalate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return res.Escalated
		}
		clock.Advance(time.Hour + 59*time.Minute)
		if n := sweep(); n != 0 {
			t.Fatalf("escalated before the deadline: %d", n)
		}
		clock.Advance(time.Minute) // 2 h: to the town
		if n := sweep(); n != 1 {
			t.Fatalf("first escalation = %d", n)
		}
		if n := sweep(); n != 0 {
			t.Fatalf("escalated twice: %d", n)
		}
		view, _ := s.Clue(ctx, f.county, c.ID)
		if view.Due.Level != safetynet.LevelTown || view.Due.OwnerPlace != "530325002" || view.Due.Escalations != 1 {
			t.Fatalf("after first escalation: %+v", view.Due)
		}
		if unread(t, s, f.town) != 1 || unread(t, s, f.county) != 0 {
			t.Fatalf("town %d county %d", unread(t, s, f.town), unread(t, s, f.county))
		}
		// Every level sees the overdue step of its subtree; the town has it to do.
		if items, _, _ := s.WorkList(ctx, f.town, sqlstore.WorkFilter{Mine: true}); len(items) != 1 || items[0].ClueID != c.ID {
			t.Fatalf("town's list = %+v", items)
		}
		clock.Advance(2 * time.Hour) // 4 h: to the county
		if n := sweep(); n != 1 {
			t.Fatalf("second escalation = %d", n)
		}
		clock.Advance(10 * time.Hour) // the county is the top: it stays there
		if n := sweep(); n != 0 {
			t.Fatalf("escalated above the county: %d", n)
		}
		if unread(t, s, f.county) != 1 || unread(t, s, f.town) != 1 {
			t.Fatalf("county %d town %d", unread(t, s, f.county), unread(t, s, f.town))
		}
		if items, total, _ := s.WorkList(ctx, f.village, sqlstore.WorkFilter{Overdue: true}); total != 1 || !items[0].Overdue {
			t.Fatalf("village's overdue list = %d %+v", total, items)
		}
		// Acknowledging ends the step; nothing escalates any more.
		if err := s.AcknowledgeClue(ctx, f.county, c.ID, 0); err != nil {
			t.Fatal(err)
		}
		if items, _, _ := s.WorkList(ctx, f.county, sqlstore.WorkFilter{Overdue: true}); len(items) != 0 {
			t.Fatalf("overdue after acknowledgement: %+v", items)
		}
		log, _ := s.AuditLog(ctx, access.System(), safetynet.AuditFilter{Action: "clue."})
		if len(log) != 2 {
			t.Errorf("audit = %+v", log)
		}
	})
}

// TestEscalationConcurrentSweeps runs many sweeps at once (as several
// server processes would): each step moves exactly once per deadline.
func TestEscalationConcurrentSweeps(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		for i := 0; i < 20; i++ {
			if _, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: "k-" + string(rune('a'+i)), HouseholdID: f.household,
				Kinds: []string{"illness"}, Urgency: "normal"}); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(25 * time.Hour)
		var wg sync.WaitGroup
		total := make(chan int, 8)
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.Escalate(ctx)
				if err != nil {
					t.Error(err)
				}
				total <- res.Escalated
			}()
		}
		wg.Wait()
		close(total)
		sum := 0
		for n := range total {
			sum += n
		}
		if sum != 20 {
			t.Fatalf("escalations = %d, want 20", sum)
		}
		// Twenty steps at once: the town's officer gets one message saying so.
		inbox, unreadN, err := s.Inbox(ctx, f.town, 50)
		if err != nil || unreadN != 1 || len(inbox) != 1 || inbox[0].Kind != "escalated.many" || inbox[0].Detail["count"] != float64(20) ||
			inbox[0].Link != "/work" {
			t.Fatalf("town inbox = %+v (%d unread) %v", inbox, unreadN, err)
		}
		// Each step's timeline still records its own escalation.
		list, _, err := s.WorkList(ctx, f.town, sqlstore.WorkFilter{Mine: true, Limit: 50})
		if err != nil || len(list) != 20 || list[0].Escalations != 1 {
			t.Fatalf("town's list = %d items %v", len(list), err)
		}
		view, err := s.ClueView(ctx, f.town, list[0].ClueID)
		if err != nil {
			t.Fatal(err)
		}
		escalated := 0
		for _, e := range view.Events {
			if e.Kind == "escalated" {
				escalated++
			}
		}
		if escalated != 1 {
			t.Fatalf("timeline of clue %d has %d escalations: %+v", list[0].ClueID, escalated, view.Events)
		}
	})
}

// TestEscalationTwoProcesses sweeps from two stores on one PostgreSQL
// database, as two server processes do: a clue left unacknowledged goes to
// the town and then to the county at the configured times, once each.
func TestEscalationTwoProcesses(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	dsn := storetest.PostgresDSN(t)
	one, two := storetest.Open(t, dsn, clock), storetest.Open(t, dsn, clock)
	f := newRelay(t, one)
	if _, _, err := one.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: "p-1", HouseholdID: f.household, Kinds: []string{"fall"}, Urgency: "urgent"}); err != nil {
		t.Fatal(err)
	}
	sweepBoth := func() int {
		var wg sync.WaitGroup
		counts := make(chan int, 20)
		for i := 0; i < 10; i++ {
			for _, s := range []*sqlstore.Store{one, two} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := s.Escalate(ctx)
					if err != nil {
						t.Error(err)
					}
					counts <- res.Escalated
				}()
			}
		}
		wg.Wait()
		close(counts)
		n := 0
		for c := range counts {
			n += c
		}
		return n
	}
	clock.Advance(2 * time.Hour)
	if n := sweepBoth(); n != 1 {
		t.Fatalf("first escalation happened %d times", n)
	}
	if n := sweepBoth(); n != 0 {
		t.Fatalf("escalated again before the next deadline: %d", n)
	}
	clock.Advance(2 * time.Hour)
	if n := sweepBoth(); n != 1 {
		t.Fatalf("second escalation happened %d times", n)
	}
	if unread(t, two, f.town) != 1 || unread(t, two, f.county) != 1 {
		t.Fatalf("town %d county %d notifications", unread(t, two, f.town), unread(t, two, f.county))
	}
}
