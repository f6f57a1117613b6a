package sqlstore_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// screeningFixture: the relay's fixture with a second grid worker, a
// second household in 腰站社区, one in 洗洋塘社区 and one in another town, a
// monitoring line of 6,500 yuan and a running screening of 胜境街道.
type screeningFixture struct {
	relayFixture
	grid2     access.Actor
	campaign  int64
	second    int64 // in 腰站社区, another grid
	neighbour int64 // 洗洋塘社区, same town
	outside   int64 // 中安街道: not in the campaign
}

func newScreening(t *testing.T, s *sqlstore.Store) screeningFixture {
	t.Helper()
	f := screeningFixture{relayFixture: newRelay(t, s)}
	mustImport(t, s, "code,name,level,parent_code\n530325002009-01-02,棠梨湾第二网格,grid,530325002009-01\n")
	sys := access.System()
	u, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: "zhaogang", DisplayName: "网格员赵刚", Role: safetynet.RoleGridWorker,
		PlaceCode: "530325002009-01-01", Password: "secret-zhaogang"})
	if err != nil {
		t.Fatal(err)
	}
	f.grid2 = actorOf(u)
	house := func(place, name, birth string) int64 {
		id, err := s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: place, Address: name + "家"},
			safetynet.PersonInput{Name: name, IDNumber: newID(birth, idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.second = house("530325002009-01-02", "钱大伯", "1958-03-07")
	f.neighbour = house("530325002010", "孙阿姨", "1961-08-19")
	f.outside = house("530325001001", "周先生", "1966-11-23")
	if err := s.SetParam(ctx, f.county, "530325", 2026, "monitoring_line", 6500.0); err != nil {
		t.Fatal(err)
	}
	f.campaign = startScreening(t, s, f.town, "530325002", "2026-07-01", "2026-09-30",
		campaigns.Stage{Kind: campaigns.StageScreen, StartsOn: "2026-07-10", EndsOn: "2026-08-31"})
	return f
}

// startScreening creates and starts a screening of place through the
// campaigns capability, as its form does.
func startScreening(t *testing.T, s *sqlstore.Store, a access.Actor, place, from, to string, stages ...campaigns.Stage) int64 {
	t.Helper()
	c, _, err := s.CreateCampaign(ctx, a, campaigns.Campaign{ClientID: "scr-" + place, Kind: campaigns.KindScreening, Title: "2026年防返贫集中排查",
		PlaceCode: place, StartsOn: from, EndsOn: to, Stages: append([]campaigns.Stage{{Kind: campaigns.StageMobilise, StartsOn: from, EndsOn: from}}, stages...)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartCampaign(ctx, a, c.ID, c.Version); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func screening(client string, household, partner int64) campaigns.Screening {
	return campaigns.Screening{ClientID: client, HouseholdID: household, Partner: partner, ScreenedOn: day("2026-07-28"), Members: 2,
		Income: map[string]int64{"wages": 800000, "transfers": 400000}, Expenses: map[string]int64{"medical": 100000}}
}

// TestScreeningStory: screeners record, resend and correct; the progress
// counts per place; a household below the line is suggested and handed to
// the inclusion flow once, never twice; scope and the pair are enforced.
func TestScreeningStory(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 9, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 7, 28, 9, 0, 0, 0, time.UTC))
		f := newScreening(t, s)
		// Progress before anything: the town's three households of its two villages; not 中安街道's.
		p, err := s.ScreeningProgressView(ctx, f.town, f.campaign, "")
		if err != nil {
			t.Fatal(err)
		}
		if p.Total.Households != 3 || p.Total.Screened != 0 || len(p.Rows) != 2 || p.LineFen != 650000 {
			t.Fatalf("town progress %+v", p)
		}
		// The partner must be another screener of the area, named.
		form, err := s.ScreeningFormView(ctx, f.grid2, f.campaign, f.household)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, p := range form.Partners {
			names[p.Name] = true
		}
		if !names["腰站李梅"] || names["网格员赵刚"] || form.Household.Members != 1 {
			t.Fatalf("partners %+v members %d", form.Partners, form.Household.Members)
		}
		_, _, err = s.RecordScreening(ctx, f.grid2, f.campaign, screening("c-1", f.household, f.grid2.UserID))
		wantCode(t, err, safetynet.EInvalid, "screening with oneself")
		_, _, err = s.RecordScreening(ctx, f.grid2, f.campaign, screening("c-1", f.neighbour, f.village.UserID))
		wantCode(t, err, safetynet.ENotFound, "a household outside the grid")
		_, _, err = s.RecordScreening(ctx, f.grid2, f.campaign+1000, screening("c-1", f.household, f.village.UserID))
		wantCode(t, err, safetynet.ENotFound, "an unknown campaign")
		late := screening("c-1", f.household, f.village.UserID)
		late.ScreenedOn = day("2026-07-09")
		_, _, err = s.RecordScreening(ctx, f.grid2, f.campaign, late)
		wantCode(t, err, safetynet.EInvalid, "before the window")

		// 12,000 yuan − 1,000 medical over 2 persons: 5,500 a head, below 6,500.
		rec, created, err := s.RecordScreening(ctx, f.grid2, f.campaign, screening("c-1", f.household, f.village.UserID))
		if err != nil || !created || !rec.Suggests || rec.PerCapitaFen != 550000 || rec.Screener2Name != "腰站李梅" || rec.Version != 1 {
			t.Fatalf("record %+v %v %v", rec, created, err)
		}
		again, created, err := s.RecordScreening(ctx, f.grid2, f.campaign, screening("c-1", f.household, f.village.UserID))
		if err != nil || created || again.ID != rec.ID {
			t.Fatalf("resend %+v %v %v", again, created, err)
		}
		_, _, err = s.RecordScreening(ctx, f.village, f.campaign, screening("c-2", f.household, f.grid2.UserID))
		wantCode(t, err, safetynet.EConflict, "a second new record of the household")

		// A correction with the version; a stale one is refused; the resend of a correction is the same.
		fix := screening("c-3", f.household, f.grid2.UserID)
		fix.Income = map[string]int64{"wages": 1600000}
		fix.Version = 1
		fixed, _, err := s.RecordScreening(ctx, f.village, f.campaign, fix)
		if err != nil || fixed.Suggests || fixed.Version != 2 || fixed.PerCapitaFen != 750000 || fixed.Screener1Name != "腰站李梅" {
			t.Fatalf("correction %+v %v", fixed, err)
		}
		if again, _, err := s.RecordScreening(ctx, f.village, f.campaign, fix); err != nil || again.Version != 2 {
			t.Fatalf("resent correction %+v %v", again, err)
		}
		stale := screening("c-4", f.household, f.grid2.UserID)
		stale.Version = 1
		_, _, err = s.RecordScreening(ctx, f.village, f.campaign, stale)
		wantCode(t, err, safetynet.EConflict, "a stale correction")
		// Back below the line with a finding.
		fix2 := screening("c-5", f.household, f.grid2.UserID)
		fix2.Version, fix2.Findings = 2, []string{"housing"}
		if rec, _, err = s.RecordScreening(ctx, f.village, f.campaign, fix2); err != nil || !rec.Suggests {
			t.Fatalf("second correction %+v %v", rec, err)
		}
		// The neighbouring village screens its household: above the line, nothing suggested.
		xi := actorOf(mustUser(t, s, access.System(), "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		ok := screening("c-6", f.neighbour, f.town.UserID)
		ok.Income = map[string]int64{"wages": 5000000}
		if _, _, err := s.RecordScreening(ctx, xi, f.campaign, ok); err == nil || safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("a town officer without a display name is no partner: %v", err)
		}

		p, err = s.ScreeningProgressView(ctx, f.town, f.campaign, "530325002009")
		if err != nil {
			t.Fatal(err)
		}
		if p.Total.Households != 2 || p.Total.Screened != 1 || p.Total.Suggested != 1 || len(p.Crumbs) != 1 || len(p.Rows) != 1 {
			t.Fatalf("village progress %+v", p)
		}
		_, err = s.ScreeningProgressView(ctx, f.grid, f.campaign, "530325002010")
		wantCode(t, err, safetynet.ENotFound, "a grid worker drills into another village")
		todo, err := s.ScreeningHouseholds(ctx, f.grid, f.campaign, "", sqlstore.ScreeningTodo, 1)
		if err != nil || len(todo.Rows) != 0 {
			t.Fatalf("grid 01-01's to-do %+v %v", todo.Rows, err)
		}
		todo, err = s.ScreeningHouseholds(ctx, f.village, f.campaign, "", sqlstore.ScreeningTodo, 1)
		if err != nil || len(todo.Rows) != 1 || todo.Rows[0].HeadName != "钱大伯" {
			t.Fatalf("village's to-do %+v %v", todo.Rows, err)
		}

		// Handing over: the grid worker may not; the village proposes once.
		_, _, err = s.HandOverScreening(ctx, f.grid, rec.ID, campaigns.Handover{})
		wantCode(t, err, safetynet.EForbidden, "grid worker hands over")
		_, _, err = s.HandOverScreening(ctx, xi, rec.ID, campaigns.SuggestHandover(rec.Suggestion(), false))
		wantCode(t, err, safetynet.ENotFound, "another village hands over")
		pid, started, err := s.HandOverScreening(ctx, f.village, rec.ID, campaigns.SuggestHandover(rec.Suggestion(), false))
		if err != nil || !started || pid == 0 {
			t.Fatalf("handover %d %v %v", pid, started, err)
		}
		proc := processOf(t, s, f.village, pid)
		if proc.Origin != "screening" || proc.Category != safetynet.CatMonitorMarginal || proc.Status != "open" {
			t.Fatalf("process %+v", proc)
		}
		again2, started, err := s.HandOverScreening(ctx, f.village, rec.ID, campaigns.SuggestHandover(rec.Suggestion(), false))
		if err != nil || started || again2 != pid {
			t.Fatalf("second handover %d %v %v", again2, started, err)
		}
		sug, err := s.ScreeningHouseholds(ctx, f.village, f.campaign, "", sqlstore.ScreeningSuggested, 1)
		if err != nil || len(sug.Rows) != 1 || sug.Rows[0].Handover() != "handed" || sug.Rows[0].ProcessStep != "review" {
			t.Fatalf("suggested %+v %v", sug.Rows, err)
		}
	})
}

// TestScreeningLinksOpenProcess: a household whose monitoring process is
// already open is linked to it, never proposed a second time.
func TestScreeningLinksOpenProcess(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 9, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 7, 28, 9, 0, 0, 0, time.UTC))
		f := newScreening(t, s)
		in := screening("o-1", f.second, f.grid2.UserID)
		in.Findings = []string{"sudden"}
		rec, _, err := s.RecordScreening(ctx, f.village, f.campaign, in)
		if err != nil {
			t.Fatal(err)
		}
		h := campaigns.SuggestHandover(rec.Suggestion(), false)
		if h.Category != safetynet.CatMonitorSudden {
			t.Fatalf("prefill %+v", h)
		}
		// The village proposed it by hand before the screening was handed over.
		first, _, err := s.HandOverScreening(ctx, f.village, rec.ID, h)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ExecRaw(ctx, `UPDATE screening_records SET process_id = 0 WHERE id = ?`, rec.ID); err != nil {
			t.Fatal(err)
		}
		linked, started, err := s.HandOverScreening(ctx, f.village, rec.ID, h)
		if err != nil || started || linked != first {
			t.Fatalf("link %d (want %d) started %v %v", linked, first, started, err)
		}
		ps, err := s.MonitoringProcesses(ctx, f.village, sqlstore.MonitoringFilter{Limit: 10})
		if err != nil || len(ps) != 1 {
			t.Fatalf("processes %d %v", len(ps), err)
		}
	})
}
