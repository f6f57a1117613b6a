package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// enrolCampaign seeds a running campaign over the relay tree's three
// villages with two work items (elderly, children) and a register stage
// ending 2021-10-31; lead is the lead unit's member.
func enrolCampaign(t *testing.T, s *sqlstore.Store, lead int64) int64 {
	t.Helper()
	id, err := s.SeedEnrolCampaign(ctx, sqlstore.EnrolSeed{ClientID: "enrol-" + t.Name(), Title: "关爱服务行动", Place: "530325",
		StartsOn: "2021-09-01", EndsOn: "2022-12-31", CreatedBy: "fuyuan",
		Items: []sqlstore.EnrolSeedItem{{Title: "关爱留守老人", Groups: []string{"left_behind_elderly"}, LeadUnit: "社会发展办", LeadUsers: []int64{lead}},
			{Title: "关爱留守儿童", Groups: []string{"left_behind_child"}}},
		Stages: []sqlstore.EnrolSeedStage{{campaigns.StageMobilise, "动员部署", "2021-09-10", "2021-09-20"},
			{campaigns.StageRegister, "调查摸底", "2021-09-21", "2021-10-31"}, {campaigns.StageCarryOut, "工作开展", "2021-11-01", "2022-03-31"}},
		Villages: [][2]string{{"530325002009", "530325002"}, {"530325002010", "530325002"}, {"530325001001", "530325001"}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func enrolSheet(t *testing.T, s *sqlstore.Store, a access.Actor, id int64, village string) sqlstore.EnrolSheet {
	t.Helper()
	e, err := s.EnrolSheetOf(ctx, a, id, village)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func enrolProgress(t *testing.T, s *sqlstore.Store, a access.Actor, id int64, place string) sqlstore.EnrolProgress {
	t.Helper()
	p, err := s.CampaignEnrolProgress(ctx, a, id, place)
	if err != nil {
		t.Fatal(err)
	}
	// A level's totals are the sum of its places.
	var sum sqlstore.EnrolTally
	sum.Counts = campaigns.Counts{}
	for _, r := range p.Rows {
		sum.Villages += r.Villages
		sum.Late += r.Late
		sum.Submitted += r.Submitted
		sum.InProgress += r.InProgress
		sum.NotStarted += r.NotStarted
		if r.NotStarted+r.InProgress+r.Submitted+r.Late != r.Villages {
			t.Fatalf("%s: statuses do not add up: %+v", r.Name, r)
		}
		for g, n := range r.Counts {
			sum.Counts[g] += n
		}
	}
	if sum.Villages != p.Total.Villages || sum.Late != p.Total.Late || sum.Submitted != p.Total.Submitted ||
		!sum.Counts.Equal(p.Total.Counts, p.Groups) {
		t.Fatalf("totals %+v are not the sum of the rows %+v", p.Total, sum)
	}
	return p
}

// TestEnrolStory: a village lists its left-behind elderly from the
// register's proposal and a child found by name (who gets the category in
// the register), removes and re-adds with a reason, confirms its counts and
// submits once; the county follows the progress down to the village; a
// village that misses the end gets a deadline that climbs to the town, and
// the lead unit is told.
func TestEnrolStory(t *testing.T) {
	start := time.Date(2021, 10, 10, 9, 0, 0, 0, campaigns.Zone)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		other := actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		far := actorOf(mustUser(t, s, sys, "zhongan", safetynet.RoleTownOfficer, "530325001"))
		lead := mustUser(t, s, sys, "shefa", safetynet.RoleTownOfficer, "530325002")
		id := enrolCampaign(t, s, lead.ID)
		v := "530325002009"
		hv, err := s.HouseholdView(ctx, f.village, f.household)
		if err != nil || len(hv.Members) != 1 {
			t.Fatalf("household = %+v, %v", hv, err)
		}
		elder := hv.Members
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectPerson, elder[0].ID, safetynet.NewAssignment{Category: "left_behind_elderly",
			Start: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾9号"},
			safetynet.PersonInput{Name: "李小明", IDNumber: newID("2013-04-04", idcard.Male)}); err != nil {
			t.Fatal(err)
		}
		e := enrolSheet(t, s, f.village, id, v)
		if e.Status != campaigns.VillageNotStarted || len(e.Groups) != 2 || e.Groups[0].Code != "left_behind_elderly" ||
			len(e.Groups[0].Proposals) != 1 || e.Groups[0].Proposals[0].Name != "宋奶奶" || e.Groups[0].Proposals[0].Address != "棠梨湾5号" ||
			e.Groups[0].Proposals[0].Age != 76 || len(e.Groups[1].Proposals) != 0 {
			t.Fatalf("sheet = %+v", e)
		}
		// Outside the area: not found, for reading and writing.
		for _, a := range []access.Actor{other, far} {
			_, err := s.EnrolSheetOf(ctx, a, id, v)
			wantCode(t, err, safetynet.ENotFound, "sheet of another village")
			_, err = s.AddEnrolMember(ctx, a, id, v, sqlstore.EnrolAdd{Group: "left_behind_elderly", PersonID: elder[0].ID})
			wantCode(t, err, safetynet.ENotFound, "add to another village's list")
			_, err = s.CampaignEnrolProgress(ctx, a, id, v)
			wantCode(t, err, safetynet.ENotFound, "progress of another village")
		}
		// The grid worker within the village reads the list, changes nothing.
		if _, err := s.EnrolSheetOf(ctx, f.grid, id, v); err != nil {
			t.Fatalf("the grid worker's read: %v", err)
		}
		_, err = s.AddEnrolMember(ctx, f.grid, id, v, sqlstore.EnrolAdd{Group: "left_behind_elderly", PersonID: elder[0].ID})
		wantCode(t, err, safetynet.EForbidden, "the grid worker adds")
		// The proposal, then a resend.
		for i, want := range []bool{true, false} {
			added, err := s.AddEnrolMember(ctx, f.village, id, v, sqlstore.EnrolAdd{Group: "left_behind_elderly", PersonID: elder[0].ID})
			if err != nil || added != want {
				t.Fatalf("add %d = %v, %v", i, added, err)
			}
		}
		// A child by name: not yet 留守儿童 in the register.
		hits, err := s.EnrolSearch(ctx, f.village, id, v, "left_behind_child", "小明")
		if err != nil || len(hits) != 1 || hits[0].HasCategory || hits[0].Age != 8 {
			t.Fatalf("search = %+v, %v", hits, err)
		}
		if _, err := s.EnrolSearch(ctx, f.village, id, v, "orphan", "小明"); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("search in a group not of the campaign: %v", err)
		}
		if _, err := s.AddEnrolMember(ctx, f.village, id, v, sqlstore.EnrolAdd{Group: "left_behind_child", PersonID: hits[0].PersonID}); err != nil {
			t.Fatal(err)
		}
		e = enrolSheet(t, s, f.village, id, v)
		if e.Status != campaigns.VillageInProgress || e.Counts().String() != "left_behind_child=1,left_behind_elderly=1" {
			t.Fatalf("after adds: %s %v", e.Status, e.Counts())
		}
		child := e.Groups[1].Members[0]
		wantCode(t, s.RemoveEnrolMember(ctx, f.village, id, v, child.MemberID, " "), safetynet.EInvalid, "removal without a reason")
		if err := s.RemoveEnrolMember(ctx, f.village, id, v, child.MemberID, "随父母外出"); err != nil {
			t.Fatal(err)
		}
		// The register now holds the category: the child is proposed.
		e = enrolSheet(t, s, f.village, id, v)
		if len(e.Groups[1].Members) != 0 || len(e.Groups[1].Proposals) != 1 || e.Groups[1].Proposals[0].Name != "李小明" {
			t.Fatalf("after removal: %+v", e.Groups[1])
		}
		if _, err := s.AddEnrolMember(ctx, f.village, id, v, sqlstore.EnrolAdd{Group: "left_behind_child", PersonID: child.PersonID, Note: "已返乡"}); err != nil {
			t.Fatal(err)
		}
		// The county's view, then the town's rows.
		p := enrolProgress(t, s, f.county, id, "")
		if len(p.Path) != 1 || p.Total.Villages != 3 || p.Total.InProgress != 1 || p.Total.NotStarted != 2 || len(p.Rows) != 2 ||
			p.Total.Counts["left_behind_child"] != 1 || p.Total.Counts["left_behind_elderly"] != 1 {
			t.Fatalf("county progress = %+v", p)
		}
		p = enrolProgress(t, s, f.county, id, "530325002")
		if len(p.Rows) != 2 || p.Rows[0].Place != v || p.Rows[0].Status != campaigns.VillageInProgress || p.Rows[0].Counts["left_behind_elderly"] != 1 {
			t.Fatalf("town progress = %+v", p.Rows)
		}
		if p := enrolProgress(t, s, f.village, id, ""); p.Total.Place != v || p.Total.Villages != 1 || len(p.Path) != 1 {
			t.Fatalf("the village's own progress = %+v", p)
		}
		// Submitting: counts must be the list's, the version the one seen.
		e = enrolSheet(t, s, f.village, id, v)
		wantCode(t, s.SubmitEnrolment(ctx, f.village, id, v, e.Version, campaigns.Counts{"left_behind_elderly": 1}), safetynet.EConflict, "wrong counts")
		wantCode(t, s.SubmitEnrolment(ctx, f.village, id, v, e.Version-1, e.Counts()), safetynet.EConflict, "stale version")
		for i := 0; i < 2; i++ {
			if err := s.SubmitEnrolment(ctx, f.village, id, v, e.Version, e.Counts()); err != nil {
				t.Fatalf("submit %d: %v", i, err)
			}
		}
		_, err = s.AddEnrolMember(ctx, f.village, id, v, sqlstore.EnrolAdd{Group: "left_behind_elderly", PersonID: child.PersonID})
		wantCode(t, err, safetynet.EConflict, "add after submit")
		wantCode(t, s.ReopenEnrolment(ctx, f.village, id, v, "补录"), safetynet.EForbidden, "the village reopens its own list")
		if err := s.ReopenEnrolment(ctx, f.town, id, v, "补录一名老人"); err != nil {
			t.Fatal(err)
		}
		e = enrolSheet(t, s, f.village, id, v)
		if e.Status != campaigns.VillageInProgress || e.ReopenedBy == "" {
			t.Fatalf("after reopen: %+v", e)
		}
		if err := s.SubmitEnrolment(ctx, f.village, id, v, e.Version, e.Counts()); err != nil {
			t.Fatal(err)
		}
		// Three days before the end: the two villages not submitted are reminded, once.
		clock.Set(time.Date(2021, 10, 29, 8, 0, 0, 0, campaigns.Zone))
		if res, err := s.EnrolReminders(ctx); err != nil || res.Reminded != 2 || res.Late != 0 {
			t.Fatalf("reminders = %+v, %v", res, err)
		}
		if res, _ := s.EnrolReminders(ctx); res.Reminded != 0 {
			t.Fatalf("second run = %+v", res)
		}
		if unread(t, s, other) != 1 {
			t.Fatalf("洗洋塘 not reminded")
		}
		// The day after the end: late, a deadline each, the lead unit told once.
		clock.Set(time.Date(2021, 11, 1, 0, 30, 0, 0, campaigns.Zone))
		if res, err := s.EnrolReminders(ctx); err != nil || res.Late != 2 {
			t.Fatalf("late run = %+v, %v", res, err)
		}
		if res, _ := s.EnrolReminders(ctx); res.Late != 0 {
			t.Fatalf("second late run = %+v", res)
		}
		if unread(t, s, actorOf(lead)) != 1 {
			t.Fatalf("lead unit member not told")
		}
		items, _, err := s.WorkList(ctx, other, sqlstore.WorkFilter{Mine: true})
		if err != nil || len(items) != 1 || items[0].Kind != campaigns.DeadlineStage || items[0].Level != safetynet.LevelVillage {
			t.Fatalf("work list = %+v, %v", items, err)
		}
		// The step names its campaign and leads to the village's list.
		if !strings.HasPrefix(items[0].Link, "/enrol/stages/") || items[0].Link != fmt.Sprintf("/enrol/stages/%d", items[0].ItemID) || items[0].Subject == "" {
			t.Fatalf("work item link %q, subject %q", items[0].Link, items[0].Subject)
		}
		p = enrolProgress(t, s, f.county, id, "")
		if p.Total.Late != 2 || p.Total.Submitted != 1 {
			t.Fatalf("county progress after the end = %+v", p.Total)
		}
		late, err := s.CampaignEnrolVillages(ctx, f.county, id, "530325", campaigns.VillageLate)
		if err != nil || len(late) != 2 || late[0].Name != "某社区" {
			t.Fatalf("late villages = %+v, %v", late, err)
		}
		// A week on, unsubmitted: the town's.
		clock.Advance(8 * 24 * time.Hour)
		if _, err := s.Escalate(ctx); err != nil {
			t.Fatal(err)
		}
		items, _, err = s.WorkList(ctx, far, sqlstore.WorkFilter{Mine: true})
		if err != nil || len(items) != 1 || items[0].Kind != campaigns.DeadlineStage || items[0].Level != safetynet.LevelTown {
			t.Fatalf("town's work list = %+v, %v", items, err)
		}
		// 洗洋塘 submits late: its deadline closes, it shows submitted late.
		e = enrolSheet(t, s, other, id, "530325002010")
		if e.Shown != campaigns.VillageLate {
			t.Fatalf("shown = %s", e.Shown)
		}
		if err := s.SubmitEnrolment(ctx, other, id, "530325002010", e.Version, e.Counts()); err != nil {
			t.Fatal(err)
		}
		if items, _, _ := s.WorkList(ctx, f.town, sqlstore.WorkFilter{}); len(items) != 0 {
			t.Fatalf("胜境's open steps after the late submission = %+v", items)
		}
		if items, _, _ := s.WorkList(ctx, f.county, sqlstore.WorkFilter{}); len(items) != 1 {
			t.Fatalf("the county's open steps = %+v", items)
		}
		p = enrolProgress(t, s, f.county, id, "530325002")
		if p.Total.Submitted != 2 || p.Total.SubmittedLate != 1 || p.Total.Late != 0 {
			t.Fatalf("town after late submission = %+v", p.Total)
		}
		log, err := s.AuditLog(ctx, f.county, safetynet.AuditFilter{Action: "enrol."})
		if err != nil || len(log) < 6 {
			t.Fatalf("audit = %d entries, %v", len(log), err)
		}
		for _, l := range log {
			if strings.Contains(l.Detail, "1945") {
				t.Fatalf("audit holds a birth date: %s", l.Detail)
			}
		}
	})
}
