package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
	"safetynet/volunteering"
)

func mealRelay(from, to string, per int) volunteering.Relay {
	return volunteering.Relay{Title: "暖邻相伴爱心送餐", ShortName: "宋奶奶", Address: "棠梨湾5号", Note: "敲门后稍等",
		Tasks: []volunteering.Task{{Kind: volunteering.KindMeal, Title: "午餐送餐", Bring: "热饭菜一份", From: from, To: to,
			Windows: []volunteering.Window{{Start: 11 * 60, End: 12 * 60}, {Start: 17 * 60, End: 18 * 60}}, PerSlot: per}}}
}

// TestVolunteerRelayStory: the village opens a meal relay for the fall's
// household; a volunteer and a neighbour (by the link) take slots, see
// the address only while active, the last place goes once, a place is
// given back, a reminder and an empty-slot alert go out once each, slots
// are marked done and hours are counted per volunteer and team.
func TestVolunteerRelayStory(t *testing.T) {
	start := time.Date(2026, 7, 28, 9, 0, 0, 0, volunteering.Zone)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		vol := actorOf(mustUser(t, s, sys, "liuyang", safetynet.RoleVolunteer, "530325002009"))
		other := actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		_, _, err := s.CreateVolunteerRelay(ctx, vol, sqlstore.VolunteerRelayInput{ClientID: "r-0", HouseholdID: f.household, Relay: mealRelay("2026-07-28", "2026-07-30", 1)})
		wantCode(t, err, safetynet.EForbidden, "volunteer opens a relay")
		_, _, err = s.CreateVolunteerRelay(ctx, other, sqlstore.VolunteerRelayInput{ClientID: "r-0", HouseholdID: f.household, Relay: mealRelay("2026-07-28", "2026-07-30", 1)})
		wantCode(t, err, safetynet.EInvalid, "another village's household")
		bad := mealRelay("2026-07-30", "2026-07-28", 1)
		_, _, err = s.CreateVolunteerRelay(ctx, f.village, sqlstore.VolunteerRelayInput{ClientID: "r-bad", HouseholdID: f.household, Relay: bad})
		if e := safetynet.AsError(err); e == nil || e.Field != "tasks[0].to" {
			t.Fatalf("reversed days: %v", err)
		}
		d, err := s.VolunteerRelayDraft(ctx, f.village, f.household, 0)
		if err != nil || len(d.Members) != 1 || d.Members[0].ShortName != "宋奶奶" || d.Address != "棠梨湾5号" {
			t.Fatalf("draft = %+v %v", d, err)
		}
		in := sqlstore.VolunteerRelayInput{ClientID: "r-1", HouseholdID: f.household, PersonID: d.Members[0].ID, Relay: mealRelay("2026-07-28", "2026-07-30", 1)}
		id, created, err := s.CreateVolunteerRelay(ctx, f.village, in)
		if err != nil || !created {
			t.Fatal(err)
		}
		if again, created, err := s.CreateVolunteerRelay(ctx, f.village, in); err != nil || created || again != id {
			t.Fatalf("resend = %d %v %v", again, created, err)
		}
		v, err := s.VolunteerRelay(ctx, f.village, id)
		if err != nil || len(v.Slots) != 6 || v.Places != 6 || v.VillageCode != "530325002009" {
			t.Fatalf("relay = %+v %v", v, err)
		}
		if _, err := s.VolunteerRelay(ctx, other, id); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("other village sees the relay: %v", err)
		}
		lunch28, dinner28, lunch29 := v.Slots[0].ID, v.Slots[1].ID, v.Slots[2].ID

		// The volunteer sees the relay nearby and takes today's dinner and tomorrow's lunch.
		me := sqlstore.UserTaker(vol)
		rl, err := s.TakerRelays(ctx, me)
		if err != nil || len(rl) != 1 || len(rl[0].Slots) != 6 || rl[0].Tasks[0].Address != "" {
			t.Fatalf("taker relays = %+v %v", rl, err)
		}
		for _, sl := range []int64{dinner28, lunch29} {
			if _, err := s.TakeSlot(ctx, me, sl); err != nil {
				t.Fatal(err)
			}
		}
		if r, err := s.TakeSlot(ctx, me, dinner28); err != nil || !r.Already {
			t.Fatalf("second take = %+v %v", r, err)
		}
		// A neighbour needs the link and a sign-up first.
		token, err := s.NewVolunteerLink(ctx, f.village, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TakeSlot(ctx, sqlstore.DeviceTaker(token, ""), lunch28); safetynet.CodeOf(err) != safetynet.EUnauthorized {
			t.Fatalf("take without sign-up: %v", err)
		}
		if _, err := s.SignupNeighbour(ctx, token, "李婶", "123"); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("bad phone: %v", err)
		}
		dev, err := s.SignupNeighbour(ctx, token, "李婶", "13873100018")
		if err != nil {
			t.Fatal(err)
		}
		nb := sqlstore.DeviceTaker(token, dev)
		if _, err := s.TakeSlot(ctx, nb, dinner28); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Fatalf("taking a full slot: %v", err)
		}
		if _, err := s.TakeSlot(ctx, nb, lunch28); err != nil {
			t.Fatal(err)
		}
		// Someone who knows her name and number signs up on another phone:
		// a volunteer of its own, who does not see her slots.
		dev2, err := s.SignupNeighbour(ctx, token, "李婶", "13873100018")
		if err != nil {
			t.Fatal(err)
		}
		if l, err := s.MySlots(ctx, sqlstore.DeviceTaker(token, dev2)); err != nil || len(l) != 0 {
			t.Fatalf("another device sees %+v %v", l, err)
		}
		// What the volunteer sees: today's dinner (starts in 8 h) in full, tomorrow's lunch not yet.
		mine, err := s.MySlots(ctx, me)
		if err != nil || len(mine) != 2 {
			t.Fatalf("mine = %+v %v", mine, err)
		}
		if !mine[0].Active || mine[0].ShortName != "宋奶奶" || mine[0].Address != "棠梨湾5号" || mine[0].Bring != "热饭菜一份" {
			t.Fatalf("active slot = %+v", mine[0])
		}
		if mine[1].Active || mine[1].Address != "" || mine[1].ShortName != "" || !mine[1].CanRelease {
			t.Fatalf("later slot shows %+v", mine[1])
		}
		// Giving back tomorrow's lunch frees it; the other village's staff cannot see slots.
		if err := s.ReleaseSlot(ctx, me, lunch29); err != nil {
			t.Fatal(err)
		}
		if err := s.ReleaseSlot(ctx, me, lunch29); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("second release: %v", err)
		}
		// The sweep at 9:00 reminds the neighbour of the 11:00 lunch (by
		// the outbox: no inbox); at 11:30 tomorrow's empty lunch is within
		// 24 h and alerts the village, once.
		sw, err := s.SweepVolunteering(ctx)
		if err != nil || sw.Reminders != 1 || sw.Empty != 0 {
			t.Fatalf("sweep = %+v %v", sw, err)
		}
		clock.Set(time.Date(2026, 7, 28, 11, 30, 0, 0, volunteering.Zone))
		sw, err = s.SweepVolunteering(ctx)
		if err != nil || sw.Reminders != 0 || sw.Empty != 1 || sw.Alerts != 1 {
			t.Fatalf("sweep = %+v %v", sw, err)
		}
		if sw, _ := s.SweepVolunteering(ctx); sw.Empty != 0 || sw.Alerts != 0 {
			t.Fatalf("second sweep alerted again: %+v", sw)
		}
		if unread(t, s, f.village) == 0 {
			t.Fatal("the village was not alerted")
		}
		clock.Set(time.Date(2026, 7, 28, 15, 30, 0, 0, volunteering.Zone))
		sw, err = s.SweepVolunteering(ctx)
		if err != nil || sw.Reminders != 1 {
			t.Fatalf("reminder sweep = %+v %v", sw, err)
		}
		if sw, _ := s.SweepVolunteering(ctx); sw.Reminders != 0 {
			t.Fatalf("reminded twice: %+v", sw)
		}
		if unread(t, s, vol) != 1 {
			t.Fatal("the volunteer's inbox has no reminder")
		}
		if err := s.ReleaseSlot(ctx, nb, lunch28); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("giving back a started slot: %v", err)
		}
		// Done: the neighbour's lunch and the volunteer's dinner.
		clock.Set(time.Date(2026, 7, 28, 18, 5, 0, 0, volunteering.Zone))
		if err := s.DoneSlot(ctx, nb, lunch28, "老人吃得很好"); err != nil {
			t.Fatal(err)
		}
		if err := s.DoneSlot(ctx, me, dinner28, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.DoneSlot(ctx, me, lunch28, ""); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("done on another's slot: %v", err)
		}
		if mine, _ := s.MySlots(ctx, me); mine[0].Status != volunteering.TakeDone || mine[0].Active || mine[0].Address != "" {
			t.Fatalf("done slot still shows details: %+v", mine[0])
		}
		team, err := s.CreateVolunteerTeam(ctx, f.village, "暖邻志愿队", "")
		if err != nil {
			t.Fatal(err)
		}
		vs, err := s.Volunteers(ctx, f.village)
		if err != nil || len(vs) != 3 {
			t.Fatalf("volunteers = %+v %v", vs, err)
		}
		for _, v := range vs[:2] {
			if err := s.SetTeamMember(ctx, f.village, team, v.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		from, to := time.Date(2026, 7, 1, 0, 0, 0, 0, volunteering.Zone), time.Date(2026, 8, 1, 0, 0, 0, 0, volunteering.Zone)
		h, err := s.VolunteerHoursOf(ctx, f.village, "", from, to)
		if err != nil || h.Times != 2 || h.Minutes != 120 || len(h.Volunteers) != 2 || len(h.Teams) != 1 || h.Teams[0].Times != 2 || h.Teams[0].Minutes != 120 {
			t.Fatalf("hours = %+v %v", h, err)
		}
		own, err := s.VolunteerHoursOf(ctx, vol, "", from, to)
		if err != nil || own.Times != 1 || len(own.Volunteers) != 1 || own.Volunteers[0].Name != "liuyang" {
			t.Fatalf("own hours = %+v %v", own, err)
		}
		if _, err := s.VolunteerHoursOf(ctx, f.village, "530325002010", from, to); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("hours of another village: %v", err)
		}
		// Closing the relay stops the link and the taking.
		v, _ = s.VolunteerRelay(ctx, f.village, id)
		if err := s.CloseVolunteerRelay(ctx, f.village, id, v.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TakeSlot(ctx, nb, lunch29); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("link after close: %v", err)
		}
		if _, err := s.TakeSlot(ctx, me, lunch29); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("take after close: %v", err)
		}
	})
}

// TestVolunteerLastPlaceRace: 50 volunteers try to take a slot of two
// places at once, on both databases: exactly two get it, everyone else
// hears "taken" (a conflict), nothing else.
func TestVolunteerLastPlaceRace(t *testing.T) {
	start := time.Date(2026, 7, 28, 9, 0, 0, 0, volunteering.Zone)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		id, _, err := s.CreateVolunteerRelay(ctx, f.village, sqlstore.VolunteerRelayInput{ClientID: "race", HouseholdID: f.household,
			Relay: mealRelay("2026-07-29", "2026-07-29", 2)})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := s.VolunteerRelay(ctx, f.village, id)
		slot := v.Slots[0].ID
		var takers []sqlstore.Taker
		for i := 0; i < 50; i++ {
			takers = append(takers, sqlstore.UserTaker(actorOf(mustUser(t, s, sys, fmt.Sprintf("race%02d", i), safetynet.RoleVolunteer, "530325002009"))))
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		got, taken := 0, 0
		var other []error
		gate := make(chan struct{})
		for _, tk := range takers {
			wg.Add(1)
			go func(tk sqlstore.Taker) {
				defer wg.Done()
				<-gate
				_, err := s.TakeSlot(ctx, tk, slot)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					got++
				case safetynet.CodeOf(err) == safetynet.EConflict && safetynet.AsError(err).ZH == "已被认领：这个时段的名额刚被别人认领了":
					taken++
				default:
					other = append(other, err)
				}
			}(tk)
		}
		close(gate)
		wg.Wait()
		if got != 2 || taken != 48 || len(other) != 0 {
			t.Fatalf("got %d, taken %d, other %v", got, taken, other)
		}
		v, _ = s.VolunteerRelay(ctx, f.village, id)
		if v.Slots[0].Taken != 2 || len(v.Slots[0].Takers) != 2 || v.Slots[0].Takers[0].Name == v.Slots[0].Takers[1].Name {
			t.Fatalf("slot = %+v", v.Slots[0])
		}
	})
}

// TestVolunteerSweepTwoProcesses sweeps from two stores on one PostgreSQL
// database, ten times each at once: each reminder and each empty-slot
// alert goes out once.
func TestVolunteerSweepTwoProcesses(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 9, 30, 0, 0, volunteering.Zone))
	dsn := storetest.PostgresDSN(t)
	one, two := storetest.Open(t, dsn, clock), storetest.Open(t, dsn, clock)
	f := newRelay(t, one)
	vol := actorOf(mustUser(t, one, access.System(), "liuyang", safetynet.RoleVolunteer, "530325002009"))
	id, _, err := one.CreateVolunteerRelay(ctx, f.village, sqlstore.VolunteerRelayInput{ClientID: "two", HouseholdID: f.household,
		Relay: mealRelay("2026-07-28", "2026-07-29", 2)})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := one.VolunteerRelay(ctx, f.village, id)
	if _, err := one.TakeSlot(ctx, sqlstore.UserTaker(vol), v.Slots[0].ID); err != nil { // today 11:00, one of two places
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total sqlstore.VolunteerSweep
	for i := 0; i < 10; i++ {
		for _, s := range []*sqlstore.Store{one, two} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := s.SweepVolunteering(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total.Reminders, total.Empty, total.Alerts = total.Reminders+r.Reminders, total.Empty+r.Empty, total.Alerts+r.Alerts
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	// Today's 11:00 (half taken) and 17:00 are short within 24 h; the volunteer's 11:00 is within 2 h.
	if total.Reminders != 1 || total.Empty != 2 {
		t.Fatalf("sweeps = %+v", total)
	}
	if n := unread(t, two, vol); n != 1 {
		t.Fatalf("volunteer reminded %d times", n)
	}
	if n := unread(t, two, f.village); n != total.Alerts || n < 1 || n > 2 {
		t.Fatalf("village notices %d, alerts %d", n, total.Alerts)
	}
}
