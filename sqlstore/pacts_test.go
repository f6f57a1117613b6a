package sqlstore_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/pacts"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// pactFixture is the relay's county with a neighbour (volunteer) and two
// elderly people living alone in the grid, each with a pact.
type pactFixture struct {
	relayFixture
	neighbour access.Actor
	song, li  int64 // persons
	a, b      int64 // pacts: song's kept by the neighbour, li's by the grid worker
}

func newPacts(t *testing.T, s *sqlstore.Store) pactFixture {
	t.Helper()
	f := pactFixture{relayFixture: newRelay(t, s)}
	f.neighbour = actorOf(mustUser(t, s, access.System(), "linju", safetynet.RoleVolunteer, "530325002009-01-01"))
	v, err := s.HouseholdView(ctx, f.village, f.household)
	if err != nil {
		t.Fatal(err)
	}
	f.song = v.Members[0].ID
	h2, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾9号"},
		safetynet.PersonInput{Name: "李爷爷", IDNumber: newID("1940-02-29", idcard.Male)})
	if err != nil {
		t.Fatal(err)
	}
	v, err = s.HouseholdView(ctx, f.village, h2)
	if err != nil {
		t.Fatal(err)
	}
	f.li = v.Members[0].ID
	if f.a, err = s.CreatePact(ctx, f.village, sqlstore.PactInput{PersonID: f.song, StewardID: f.neighbour.UserID,
		Terms: pacts.Terms{DeadlineMin: 480}}); err != nil {
		t.Fatal(err)
	}
	if f.b, err = s.CreatePact(ctx, f.village, sqlstore.PactInput{PersonID: f.li, StewardID: f.grid.UserID,
		Terms: pacts.Terms{DeadlineMin: 480, Ladder: []pacts.Rung{pacts.RungSteward, pacts.RungVillage, pacts.RungTown}}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func sweep(t *testing.T, s *sqlstore.Store) sqlstore.PactSweepResult {
	t.Helper()
	r, err := s.SweepPacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func pactNotes(t *testing.T, s *sqlstore.Store, a access.Actor) int {
	t.Helper()
	list, _, err := s.Inbox(ctx, a, 200)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range list {
		if x.Kind == sqlstore.NoticePactMissed {
			n++
		}
	}
	return n
}

// TestPactStory: across the month end (Shanghai time), song taps "我很好"
// on her own page before 08:00; li does not: his steward is alerted at
// 08:00, the village after 30 minutes, once each however often the sweep
// runs; the village goes and records what it found. The next morning the
// neighbour's pact is paused (at the children's) and not alerted.
func TestPactStory(t *testing.T) {
	start := time.Date(2026, 3, 30, 20, 0, 0, 0, shanghai)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newPacts(t, s)
		token, err := s.ReplacePactToken(ctx, f.village, f.a)
		if err != nil {
			t.Fatal(err)
		}
		// 31 March, 07:40: song taps on her page.
		clock.Set(time.Date(2026, 3, 31, 7, 40, 0, 0, shanghai))
		if v, err := s.PactSelfView(ctx, token); err != nil || v.StewardName != "linju" || v.SignedToday {
			t.Fatalf("self view = %+v, %v", v, err)
		}
		if err := s.PactSelfSign(ctx, token); err != nil {
			t.Fatal(err)
		}
		if r := sweep(t, s); r.Missed != 0 {
			t.Fatalf("before the deadline: %+v", r)
		}
		clock.Set(time.Date(2026, 3, 31, 8, 0, 0, 0, shanghai))
		if r := sweep(t, s); r.Missed != 1 || r.Raised != 0 {
			t.Fatalf("at 08:00: %+v, want one missed", r)
		}
		sweep(t, s)
		if pactNotes(t, s, f.grid) != 1 || pactNotes(t, s, f.neighbour) != 0 || pactNotes(t, s, f.village) != 0 {
			t.Fatalf("after 08:00: grid %d neighbour %d village %d", pactNotes(t, s, f.grid), pactNotes(t, s, f.neighbour), pactNotes(t, s, f.village))
		}
		round, err := s.PactRound(ctx, f.grid, clock.Now())
		if err != nil || len(round) != 1 || round[0].State != "missed" || round[0].Day != "2026-03-31" {
			t.Fatalf("grid worker's round = %+v, %v", round, err)
		}
		round, err = s.PactRound(ctx, f.neighbour, clock.Now())
		if err != nil || len(round) != 1 || round[0].State != "kept" {
			t.Fatalf("neighbour's round = %+v, %v", round, err)
		}
		clock.Set(time.Date(2026, 3, 31, 8, 29, 0, 0, shanghai))
		if r := sweep(t, s); r.Raised != 0 {
			t.Fatalf("before the wait: %+v", r)
		}
		clock.Set(time.Date(2026, 3, 31, 8, 31, 0, 0, shanghai))
		if r := sweep(t, s); r.Raised != 1 {
			t.Fatalf("after the wait: %+v", r)
		}
		sweep(t, s)
		if pactNotes(t, s, f.village) != 1 || pactNotes(t, s, f.town) != 0 {
			t.Fatalf("village %d town %d", pactNotes(t, s, f.village), pactNotes(t, s, f.town))
		}
		alerts, err := s.PactAlerts(ctx, f.village)
		if err != nil || len(alerts) != 1 || alerts[0].PersonName != "李爷爷" {
			t.Fatalf("alerts = %+v, %v", alerts, err)
		}
		// The neighbour does not see li's day.
		if _, err := s.PactDayView(ctx, f.neighbour, alerts[0].ID); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("neighbour sees another's day: %v", err)
		}
		if err := s.AcknowledgePactDay(ctx, f.village, alerts[0].ID); err != nil {
			t.Fatal(err)
		}
		err = s.AcknowledgePactDay(ctx, f.grid, alerts[0].ID)
		if safetynet.CodeOf(err) != safetynet.EConflict || !strings.Contains(safetynet.AsError(err).ZH, "腰站李梅") {
			t.Fatalf("second acknowledgement: %v", err)
		}
		clock.Set(time.Date(2026, 3, 31, 9, 30, 0, 0, shanghai))
		if r := sweep(t, s); r.Raised != 0 {
			t.Fatalf("acknowledged day went up: %+v", r)
		}
		wantCode(t, s.RecordPactFinding(ctx, f.village, alerts[0].ID, "dancing", ""), safetynet.EInvalid, "unknown finding")
		if err := s.RecordPactFinding(ctx, f.village, alerts[0].ID, pacts.FoundFine, "在菜园里"); err != nil {
			t.Fatal(err)
		}
		// 1 April: song is at her children's; li signs by the round.
		if err := s.AddPactAway(ctx, f.neighbour, f.a, pacts.Away{From: "2026-04-01", To: "2026-04-03", Reason: "children"}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.AddPactAway(ctx, f.neighbour, f.b, pacts.Away{From: "2026-04-01", To: "2026-04-03", Reason: "children"}),
			safetynet.ENotFound, "neighbour pauses another's pact")
		clock.Set(time.Date(2026, 4, 1, 6, 50, 0, 0, shanghai))
		if err := s.SignPact(ctx, f.grid, f.b); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Date(2026, 4, 1, 8, 1, 0, 0, shanghai))
		if r := sweep(t, s); r.Missed != 0 {
			t.Fatalf("1 April: %+v, want nothing missed", r)
		}
		round, _ = s.PactRound(ctx, f.neighbour, clock.Now())
		if len(round) != 1 || round[0].State != "paused" {
			t.Fatalf("paused round = %+v", round)
		}
		// Revoked links are refused; a replaced one too.
		if err := s.RevokePactToken(ctx, f.village, f.a); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.PactSelfSign(ctx, token), safetynet.ENotFound, "revoked link")
		if _, err := s.PactSelfView(ctx, token); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("revoked link view: %v", err)
		}
		fresh, _ := s.ReplacePactToken(ctx, f.village, f.a)
		if other, _ := s.ReplacePactToken(ctx, f.village, f.a); other == fresh {
			t.Fatal("replaced token is the same")
		}
		wantCode(t, s.PactSelfSign(ctx, fresh), safetynet.ENotFound, "replaced link")
		// Scope: the neighbour lists only the pact they keep.
		list, err := s.Pacts(ctx, f.neighbour, "")
		if err != nil || len(list) != 1 || list[0].ID != f.a {
			t.Fatalf("neighbour's pacts = %+v, %v", list, err)
		}
		list, _ = s.Pacts(ctx, f.village, "")
		if len(list) != 2 {
			t.Fatalf("village's pacts = %d", len(list))
		}
		_, err = s.CreatePact(ctx, f.neighbour, sqlstore.PactInput{PersonID: f.li, StewardID: f.neighbour.UserID})
		wantCode(t, err, safetynet.EForbidden, "neighbour makes a pact")
		_, err = s.CreatePact(ctx, f.village, sqlstore.PactInput{PersonID: f.li, StewardID: f.town.UserID})
		wantCode(t, err, safetynet.EInvalid, "town officer as steward")
		_, err = s.CreatePact(ctx, f.village, sqlstore.PactInput{PersonID: f.li, StewardID: f.grid.UserID, Terms: pacts.Terms{WaitMin: 5000}})
		wantCode(t, err, safetynet.EInvalid, "wait too long")
		// Figures: March 31 had one kept and one missed day.
		figs, err := s.PactFigures(ctx, f.county, "530325002", "2026-03-31", "2026-03-31")
		if err != nil {
			t.Fatal(err)
		}
		var kept, missed int
		for _, x := range figs {
			kept, missed = kept+x.Now.Kept, missed+x.Now.Missed
			if x.Now.Answered == 1 && (x.Now.AvgResponseMin < 30 || x.Now.AvgResponseMin > 31) {
				t.Fatalf("response time = %v min", x.Now.AvgResponseMin)
			}
		}
		if kept != 1 || missed != 1 {
			t.Fatalf("figures kept %d missed %d: %+v", kept, missed, figs)
		}
		// 1 April beside the period before it (31 March): li kept, song
		// paused; before, li's day was answered at 08:31 and its finding
		// recorded at 09:30 (the alert went out at 08:00).
		figs, err = s.PactFigures(ctx, f.county, "530325002", "2026-04-01", "2026-04-01")
		if err != nil {
			t.Fatal(err)
		}
		var now, before sqlstore.PactCounts
		for _, x := range figs {
			now.Kept, now.Missed = now.Kept+x.Now.Kept, now.Missed+x.Now.Missed
			if x.Before.Missed > 0 {
				before = x.Before
			}
		}
		if now.Kept != 1 || now.Missed != 0 || before.Missed != 1 || before.Answered != 1 || before.Found != 1 || before.Late != 0 ||
			before.AvgResponseMin < 30 || before.AvgResponseMin > 31 || before.AvgFindingMin != 90 {
			t.Fatalf("1 April %+v, before %+v", now, before)
		}
	})
}

// TestPactDeadlinesAcrossMidnight: around the end of February (Shanghai
// time), a pact due at 23:50 and one due at 00:10. A sign at 23:40 keeps
// the first one's 28 February and belongs to the second one's 28
// February, not to its 1 March, which is missed at 00:10; the first one's
// 1 March is missed at 23:50 of 1 March, not earlier.
func TestPactDeadlinesAcrossMidnight(t *testing.T) {
	start := time.Date(2026, 2, 28, 12, 0, 0, 0, shanghai)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newPacts(t, s)
		late := sqlstore.PactInput{PersonID: f.song, StewardID: f.neighbour.UserID, Terms: pacts.Terms{DeadlineMin: 23*60 + 50}}
		early := sqlstore.PactInput{PersonID: f.li, StewardID: f.grid.UserID, Terms: pacts.Terms{DeadlineMin: 10,
			Ladder: []pacts.Rung{pacts.RungSteward, pacts.RungVillage, pacts.RungTown}}}
		if err := s.UpdatePact(ctx, f.village, f.a, 1, late); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdatePact(ctx, f.village, f.b, 1, early); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Date(2026, 2, 28, 23, 40, 0, 0, shanghai))
		if err := s.SignPact(ctx, f.neighbour, f.a); err != nil {
			t.Fatal(err)
		}
		if err := s.SignPact(ctx, f.grid, f.b); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			at             time.Time
			missed         int
			grid, neighbor int // notifications so far
		}{
			{time.Date(2026, 2, 28, 23, 55, 0, 0, shanghai), 0, 0, 0},
			{time.Date(2026, 3, 1, 0, 5, 0, 0, shanghai), 0, 0, 0},
			{time.Date(2026, 3, 1, 0, 10, 0, 0, shanghai), 1, 1, 0},
			{time.Date(2026, 3, 1, 23, 49, 0, 0, shanghai), 0, 1, 0},
			{time.Date(2026, 3, 1, 23, 50, 0, 0, shanghai), 1, 1, 1},
			{time.Date(2026, 3, 2, 0, 1, 0, 0, shanghai), 0, 1, 1},
		} {
			clock.Set(c.at)
			r := sweep(t, s)
			if r.Missed != c.missed || pactNotes(t, s, f.grid) != c.grid || pactNotes(t, s, f.neighbour) != c.neighbor {
				t.Fatalf("%s: %+v, grid %d neighbour %d; want %d missed, %d, %d", c.at.Format("01-02 15:04"), r,
					pactNotes(t, s, f.grid), pactNotes(t, s, f.neighbour), c.missed, c.grid, c.neighbor)
			}
		}
		days := map[string]string{}
		for _, id := range []int64{f.a, f.b} {
			p, err := s.PactView(ctx, f.village, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range p.Days {
				days[itoa(id)+" "+d.Day] = d.Status
			}
		}
		want := map[string]string{itoa(f.a) + " 2026-02-28": "kept", itoa(f.a) + " 2026-03-01": "missed",
			itoa(f.b) + " 2026-02-28": "kept", itoa(f.b) + " 2026-03-01": "missed"}
		if len(days) != len(want) {
			t.Fatalf("days = %v, want %v", days, want)
		}
		for k, v := range want {
			if days[k] != v {
				t.Fatalf("days = %v, want %v", days, want)
			}
		}
	})
}

// TestPactDeviceSignal: a signed signal keeps the day; an unsigned, a
// wrongly signed, a stale and a replayed one are refused.
func TestPactDeviceSignal(t *testing.T) {
	start := time.Date(2026, 12, 31, 23, 50, 0, 0, shanghai)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newPacts(t, s)
		secret, err := s.BindPactDevice(ctx, f.village, f.b, "wm-0001", "water")
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.BindPactDevice(ctx, f.village, f.a, "wm-0001", "water")
		wantCode(t, err, safetynet.EConflict, "device bound twice")
		_, err = s.BindPactDevice(ctx, f.village, f.a, "wm 2", "toaster")
		wantCode(t, err, safetynet.EInvalid, "bad device")
		clock.Set(time.Date(2027, 1, 1, 6, 30, 0, 0, shanghai))
		body := []byte(`{"litres":3}`)
		ts := clock.Now().Unix()
		sig := pacts.SignSignal([]byte(secret), ts, body)
		wantCode(t, s.PactDeviceSignal(ctx, "wm-0001", "", "", body), safetynet.EUnauthorized, "unsigned")
		wantCode(t, s.PactDeviceSignal(ctx, "wm-0001", itoa(ts), sig, []byte(`{"litres":4}`)), safetynet.EUnauthorized, "other body")
		wantCode(t, s.PactDeviceSignal(ctx, "wm-0002", itoa(ts), sig, body), safetynet.EUnauthorized, "unknown device")
		old := ts - 3600
		wantCode(t, s.PactDeviceSignal(ctx, "wm-0001", itoa(old), pacts.SignSignal([]byte(secret), old, body), body), safetynet.EUnauthorized, "stale")
		if err := s.PactDeviceSignal(ctx, "wm-0001", itoa(ts), sig, body); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.PactDeviceSignal(ctx, "wm-0001", itoa(ts), sig, body), safetynet.EConflict, "replayed")
		clock.Set(time.Date(2027, 1, 1, 8, 0, 0, 0, shanghai))
		if r := sweep(t, s); r.Missed != 1 {
			t.Fatalf("new year's sweep: %+v, want only song's day missed", r)
		}
		round, _ := s.PactRound(ctx, f.grid, clock.Now())
		if len(round) != 1 || round[0].State != "kept" || round[0].Day != "2027-01-01" {
			t.Fatalf("round after the device's signal = %+v", round)
		}

		// The secret is stored sealed with the store's key, not in clear.
		stored, err := s.StringsForTest(ctx, `SELECT secret || '|' || COALESCE(secret_enc, '') FROM pact_devices WHERE device = 'wm-0001'`)
		if s.Dialect() == "postgres" {
			stored, err = s.StringsForTest(ctx, `SELECT secret || '|' || encode(COALESCE(secret_enc, ''::bytea), 'escape') FROM pact_devices WHERE device = 'wm-0001'`)
		}
		if err != nil || len(stored) != 1 || !strings.HasPrefix(stored[0], "|") || len(stored[0]) < len(secret) || strings.Contains(stored[0], secret) {
			t.Fatalf("stored secret = %q, %v", stored, err)
		}
		// A device bound before the secrets were sealed: its clear secret
		// is sealed by the migration step, and its signals still verify.
		if err := s.ExecRaw(ctx, `INSERT INTO pact_devices (device, pact_id, kind, secret, created_at) VALUES ('door-old', ?, 'door', 'old-clear-secret', 0)`, f.a); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		clear, err := s.StringsForTest(ctx, `SELECT device FROM pact_devices WHERE secret <> '' OR secret_enc IS NULL`)
		if err != nil || len(clear) != 0 {
			t.Fatalf("secrets still in clear after the migration: %q %v", clear, err)
		}
		ts = clock.Now().Unix()
		body = []byte(`{"open":true}`)
		if err := s.PactDeviceSignal(ctx, "door-old", itoa(ts), pacts.SignSignal([]byte("old-clear-secret"), ts, body), body); err != nil {
			t.Fatalf("signal of the converted device: %v", err)
		}
		wantCode(t, s.PactDeviceSignal(ctx, "door-old", itoa(ts), pacts.SignSignal([]byte("another"), ts, body), body),
			safetynet.EUnauthorized, "converted device, wrong secret")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPactSweepTwoProcesses sweeps from two stores on one PostgreSQL
// database: each step of each missed day is alerted once.
func TestPactSweepTwoProcesses(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 2, 28, 12, 0, 0, 0, shanghai))
	dsn := storetest.PostgresDSN(t)
	one, two := storetest.Open(t, dsn, clock), storetest.Open(t, dsn, clock)
	f := newPacts(t, one)
	sweepBoth := func() (missed, raised int) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := 0; i < 10; i++ {
			for _, s := range []*sqlstore.Store{one, two} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := s.SweepPacts(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					missed, raised = missed+r.Missed, raised+r.Raised
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		return
	}
	clock.Set(time.Date(2026, 3, 1, 8, 0, 0, 0, shanghai))
	if m, r := sweepBoth(); m != 2 || r != 0 {
		t.Fatalf("08:00: missed %d raised %d", m, r)
	}
	if m, r := sweepBoth(); m != 0 || r != 0 {
		t.Fatalf("again: missed %d raised %d", m, r)
	}
	clock.Set(time.Date(2026, 3, 1, 8, 30, 0, 0, shanghai))
	if m, r := sweepBoth(); m != 0 || r != 2 {
		t.Fatalf("08:30: missed %d raised %d", m, r)
	}
	if pactNotes(t, two, f.neighbour) != 1 || pactNotes(t, two, f.grid) != 2 || pactNotes(t, two, f.village) != 1 {
		t.Fatalf("neighbour %d grid %d village %d", pactNotes(t, two, f.neighbour), pactNotes(t, two, f.grid), pactNotes(t, two, f.village))
	}

	// The next morning, 300 more pacts of which 60 have no sign: both
	// stores sweep at once, at 08:00 and at 08:30 (1 March's two days are
	// closed first, so that their ladders stop).
	open, err := one.PactAlerts(ctx, f.village)
	if err != nil || len(open) != 2 {
		t.Fatalf("open alerts %d, %v", len(open), err)
	}
	for _, d := range open {
		if err := one.RecordPactFinding(ctx, f.village, d.ID, pacts.FoundFine, ""); err != nil {
			t.Fatal(err)
		}
	}
	without, err := one.SeedPactsForBench(ctx, f.grid.UserID, 300, 60, "2026-03-02", time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai))
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai))
	if m, r := sweepBoth(); m != 62 || r != 0 {
		t.Fatalf("2 March 08:00: missed %d raised %d, want 62 (60 and the fixture's two)", m, r)
	}
	clock.Set(time.Date(2026, 3, 2, 8, 30, 0, 0, shanghai))
	if m, r := sweepBoth(); m != 0 || r != 62 {
		t.Fatalf("2 March 08:30: missed %d raised %d", m, r)
	}
	alerts, dups, notes, err := two.PactAlertCounts(ctx, "2026-03-02", without)
	// The grid worker keeps these pacts and is the grid step too: two
	// notifications per day, one per step.
	if err != nil || alerts != 120 || dups != 0 || notes != 120 {
		t.Fatalf("alerts %d (want 120), days alerted twice at a step %d, notifications %d (want 120): %v", alerts, dups, notes, err)
	}
}
