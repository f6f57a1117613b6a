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
	"safetynet/visits"
)

// campaignForm is 胜境街道's care campaign as a town officer enters it.
func campaignForm(lead, coop int64) campaigns.Campaign {
	return campaigns.Campaign{ClientID: "camp-1", Kind: campaigns.KindCare, Title: "胜境街道关爱服务行动", DocNo: "胜农领办发[2027]3号",
		StartsOn: "2027-03-01", EndsOn: "2027-12-31", Aims: "老有善养、幼有优教、困有真帮",
		Items: []campaigns.Item{
			{Title: "关爱服务农村留守老人", Groups: []string{"left_behind_elderly"}, Units: []campaigns.ItemUnit{{UnitID: lead, Role: campaigns.RoleLead}}},
			{Title: "关爱服务农村留守儿童", Groups: []string{"left_behind_child"}, Units: []campaigns.ItemUnit{{UnitID: coop, Role: campaigns.RoleLead}, {UnitID: lead, Role: campaigns.RoleCooperate}}},
		},
		Goals: []campaigns.Goal{
			{Title: "留守儿童走访率", Metric: campaigns.MetricVisitedShare, Group: "left_behind_child", Target: 1000, ItemSeq: 2},
			{Title: "平安夜话", Metric: campaigns.MetricActivities, Target: 4, ItemSeq: 1},
		},
		Stages: []campaigns.Stage{
			{Kind: campaigns.StageMobilise, StartsOn: "2027-03-01", EndsOn: "2027-03-10"},
			{Kind: campaigns.StageRegister, StartsOn: "2027-03-11", EndsOn: "2027-03-31"},
			{Kind: campaigns.StageCarryOut, StartsOn: "2027-04-01", EndsOn: "2027-10-31"},
		},
	}
}

// TestCampaignsStory: the town sets up its units, enters a campaign (a
// resend is the same campaign), two editors collide, the town starts it;
// the villages see their stages and record an activity; a visit is
// tagged with it and counted; outsiders see nothing.
func TestCampaignsStory(t *testing.T) {
	start := time.Date(2027, 3, 5, 9, 0, 0, 0, campaigns.Zone)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		other := actorOf(mustUser(t, s, sys, "zhongan", safetynet.RoleTownOfficer, "530325001"))
		otherVillage := actorOf(mustUser(t, s, sys, "moucun", safetynet.RoleVillageStaff, "530325001001"))
		xiyang := actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		town2 := actorOf(mustUser(t, s, sys, "shengjing2", safetynet.RoleTownOfficer, "530325002"))

		// Units.
		_, err := s.SaveOrgUnit(ctx, f.village, campaigns.Unit{PlaceCode: "530325002", Name: "街道妇联"}, nil)
		wantCode(t, err, safetynet.EForbidden, "a village makes a unit")
		_, err = s.SaveOrgUnit(ctx, other, campaigns.Unit{PlaceCode: "530325002", Name: "街道妇联"}, nil)
		wantCode(t, err, safetynet.ENotFound, "another town makes a unit here")
		_, err = s.SaveOrgUnit(ctx, f.town, campaigns.Unit{PlaceCode: "530325002", Name: "街道妇联"}, []int64{f.village.UserID})
		wantCode(t, err, safetynet.EInvalid, "a member from a village")
		fed, err := s.SaveOrgUnit(ctx, f.town, campaigns.Unit{PlaceCode: "530325002", Name: "街道妇联", Note: "妇女工作"}, []int64{town2.UserID})
		if err != nil || len(fed.Members) != 1 || fed.Members[0].UserID != town2.UserID {
			t.Fatalf("unit = %+v, %v", fed, err)
		}
		_, err = s.SaveOrgUnit(ctx, f.town, campaigns.Unit{PlaceCode: "530325002", Name: "街道妇联"}, nil)
		wantCode(t, err, safetynet.EConflict, "a second unit of the same name")
		social, err := s.SaveOrgUnit(ctx, f.town, campaigns.Unit{PlaceCode: "530325002", Name: "社会事务办"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		units, err := s.OrgUnits(ctx, f.town, "530325002")
		if err != nil || len(units) != 2 {
			t.Fatalf("units = %+v, %v", units, err)
		}

		// Bad input leaves nothing.
		bad := campaignForm(social.ID, fed.ID)
		bad.Stages[2].EndsOn = "2028-01-31"
		_, _, err = s.CreateCampaign(ctx, f.town, bad)
		wantCode(t, err, safetynet.EInvalid, "a stage past the period")
		_, _, err = s.CreateCampaign(ctx, f.village, campaignForm(social.ID, fed.ID))
		wantCode(t, err, safetynet.EForbidden, "a village creates a campaign")
		form := campaignForm(social.ID, fed.ID)
		form.Villages = []string{"530325001001"}
		_, _, err = s.CreateCampaign(ctx, f.town, form)
		wantCode(t, err, safetynet.EInvalid, "a village of another town")
		if list, _ := s.Campaigns(ctx, f.town, sqlstore.CampaignFilter{}); len(list) != 0 {
			t.Fatalf("refused campaigns left %+v", list)
		}

		c, created, err := s.CreateCampaign(ctx, f.town, campaignForm(social.ID, fed.ID))
		if err != nil || !created || c.Status != campaigns.StatusDraft || len(c.Items) != 2 || len(c.Goals) != 2 || len(c.Stages) != 3 || len(c.Villages) != 2 {
			t.Fatalf("create = %+v %v %v", c, created, err)
		}
		if c.Goals[0].ItemID != c.Items[1].ID || c.Items[1].Units[0].Name != "街道妇联" || c.Items[1].Units[0].Role != campaigns.RoleLead {
			t.Fatalf("parts = %+v %+v", c.Goals, c.Items)
		}
		again, created, err := s.CreateCampaign(ctx, f.town, campaignForm(social.ID, fed.ID))
		if err != nil || created || again.ID != c.ID {
			t.Fatalf("resend = %d %v %v", again.ID, created, err)
		}
		// A draft is the owners' alone.
		_, err = s.Campaign(ctx, f.village, c.ID)
		wantCode(t, err, safetynet.ENotFound, "a village sees a draft")
		_, err = s.Campaign(ctx, other, c.ID)
		wantCode(t, err, safetynet.ENotFound, "another town sees the draft")
		if _, err := s.Campaign(ctx, f.county, c.ID); err != nil {
			t.Fatalf("the county reads the draft: %v", err)
		}

		// Two editors: the second gets a conflict naming the first.
		edit := c
		edit.Villages = []string{"530325002009"}
		edited, err := s.UpdateCampaign(ctx, f.town, c.ID, c.Version, edit)
		if err != nil || edited.Version != c.Version+1 || len(edited.Villages) != 1 {
			t.Fatalf("update = %+v %v", edited, err)
		}
		_, err = s.UpdateCampaign(ctx, town2, c.ID, c.Version, c)
		wantCode(t, err, safetynet.EConflict, "a stale edit")

		// Start: the village rows appear; a stale start is a conflict.
		_, err = s.StartCampaign(ctx, f.town, c.ID, c.Version)
		wantCode(t, err, safetynet.EConflict, "a stale start")
		started, err := s.StartCampaign(ctx, f.town, c.ID, edited.Version)
		if err != nil || started.Status != campaigns.StatusRunning {
			t.Fatalf("start = %+v %v", started, err)
		}
		if _, err := s.StartCampaign(ctx, f.town, c.ID, edited.Version); err != nil {
			t.Fatalf("start resent: %v", err)
		}
		_, err = s.UpdateCampaign(ctx, f.town, c.ID, started.Version, started)
		wantCode(t, err, safetynet.EConflict, "editing a running campaign")

		_, v, stages, err := s.CampaignVillageStages(ctx, f.village, c.ID, "530325002009")
		if err != nil || v.Name != "腰站社区" || v.Town != "530325002" || len(stages) != 3 || !stages[0].Current || stages[1].Status != campaigns.VillageNotStarted {
			t.Fatalf("village stages = %+v %+v %v", v, stages, err)
		}
		_, _, _, err = s.CampaignVillageStages(ctx, xiyang, c.ID, "530325002010")
		wantCode(t, err, safetynet.ENotFound, "a village left out of the campaign")
		_, _, _, err = s.CampaignVillageStages(ctx, f.village, c.ID, "530325002010")
		wantCode(t, err, safetynet.ENotFound, "another village's tasks")
		_, err = s.Campaign(ctx, otherVillage, c.ID)
		wantCode(t, err, safetynet.ENotFound, "a village of another town")
		if _, err := s.Campaign(ctx, f.grid, c.ID); err != nil {
			t.Fatalf("the grid worker of the village reads it: %v", err)
		}
		tasks, err := s.MyCampaignTasks(ctx, f.village)
		if err != nil || len(tasks) != 1 || tasks[0].Stage == nil || tasks[0].Stage.Kind != campaigns.StageMobilise || tasks[0].Next.Kind != campaigns.StageRegister {
			t.Fatalf("tasks = %+v %v", tasks, err)
		}

		// The register stage passes unsubmitted: late.
		clock.Set(time.Date(2027, 4, 2, 9, 0, 0, 0, campaigns.Zone))
		_, _, stages, _ = s.CampaignVillageStages(ctx, f.village, c.ID, "530325002009")
		if stages[1].Status != campaigns.VillageLate || stages[0].Status == campaigns.VillageLate || !stages[2].Current {
			t.Fatalf("after the register stage = %+v", stages)
		}

		// Activities: the village records for itself, once.
		act := campaigns.Activity{ClientID: "act-1", CampaignID: c.ID, ItemID: started.Items[0].ID, VillageCode: "530325002009", Title: "平安夜话",
			HeldOn: "2027-04-01", Venue: "村委会", Participants: 12, PersonIDs: []int64{hvMember(t, s, f)}}
		_, _, err = s.RecordCampaignActivity(ctx, f.town, act)
		wantCode(t, err, safetynet.EForbidden, "the town records for a village")
		future := act
		future.HeldOn = "2027-04-03"
		_, _, err = s.RecordCampaignActivity(ctx, f.village, future)
		wantCode(t, err, safetynet.EInvalid, "an activity tomorrow")
		got, created, err := s.RecordCampaignActivity(ctx, f.village, act)
		if err != nil || !created || got.ItemTitle != "关爱服务农村留守老人" || len(got.PersonNames) != 1 || got.PersonNames[0] != "宋奶奶" {
			t.Fatalf("activity = %+v %v %v", got, created, err)
		}
		if _, created, err := s.RecordCampaignActivity(ctx, f.village, act); err != nil || created {
			t.Fatalf("activity resent: %v %v", created, err)
		}
		_, _, stages, _ = s.CampaignVillageStages(ctx, f.village, c.ID, "530325002009")
		if stages[2].Status != campaigns.VillageInProgress {
			t.Fatalf("carry-out after an activity = %+v", stages[2])
		}
		list, err := s.CampaignActivities(ctx, f.county, c.ID, "")
		if err != nil || len(list) != 1 {
			t.Fatalf("activities = %+v %v", list, err)
		}
		_, err = s.CampaignActivities(ctx, other, c.ID, "")
		wantCode(t, err, safetynet.ENotFound, "another town's activities")

		// Tagging.
		refs, err := s.TaggableCampaigns(ctx, f.village, f.household)
		if err != nil || len(refs) != 1 || refs[0].ID != c.ID {
			t.Fatalf("taggable = %+v %v", refs, err)
		}
		counts, err := s.CampaignTaggedCounts(ctx, c.ID)
		if err != nil || len(counts) != 0 {
			t.Fatalf("counts before = %+v %v", counts, err)
		}
		outside, err := s.CreateHousehold(ctx, xiyang, safetynet.HouseholdInput{PlaceCode: "530325002010", Address: "洗洋塘1号"},
			safetynet.PersonInput{Name: "洗奶奶", IDNumber: newID("1946-06-06", idcard.Female)})
		if err != nil {
			t.Fatal(err)
		}
		gridX := actorOf(mustUser(t, s, sys, "gridx", safetynet.RoleSocialWorker, "530325002010"))
		_, _, err = s.RecordVisit(ctx, gridX, visits.NewVisit{ClientID: "v-out", HouseholdID: outside, Kind: "home", Result: "fine", CampaignID: c.ID})
		if e := safetynet.AsError(err); e == nil || e.Field != "campaign_id" {
			t.Fatalf("a visit tagged with a campaign that does not cover the village: %v", err)
		}
		if _, _, err := s.RecordVisit(ctx, gridX, visits.NewVisit{ClientID: "v-out2", HouseholdID: outside, Kind: "home", Result: "fine"}); err != nil {
			t.Fatalf("the same visit untagged: %v", err)
		}
		vr, _, err := s.RecordVisit(ctx, f.grid, visits.NewVisit{ClientID: "v-in", HouseholdID: f.household, Kind: "home", Result: "fine", CampaignID: c.ID})
		if err != nil || vr.CampaignID != c.ID {
			t.Fatalf("tagged visit = %+v %v", vr, err)
		}
		counts, err = s.CampaignTaggedCounts(ctx, c.ID)
		if err != nil || len(counts) != 1 || counts["530325002009"].Visits != 1 || counts["530325002009"].VisitHouseholds != 1 {
			t.Fatalf("counts after = %+v %v", counts, err)
		}

		// Ending; the ended campaign is a template.
		ended, err := s.EndCampaign(ctx, f.town, c.ID, started.Version)
		if err != nil || ended.Status != campaigns.StatusEnded {
			t.Fatalf("end = %+v %v", ended, err)
		}
		if refs, _ := s.TaggableCampaigns(ctx, f.village, f.household); len(refs) != 0 {
			t.Fatalf("an ended campaign offered: %+v", refs)
		}
		copied, err := campaigns.Shift(ended, "2028-03-01")
		if err != nil {
			t.Fatal(err)
		}
		copied.ClientID = "camp-2"
		next, _, err := s.CreateCampaign(ctx, f.town, copied)
		if err != nil || next.StartsOn != "2028-03-01" || next.Stages[2].EndsOn != "2028-10-31" || next.CopiedFrom != c.ID || len(next.Villages) != 1 {
			t.Fatalf("copy = %+v %v", next, err)
		}
	})
}

func hvMember(t *testing.T, s *sqlstore.Store, f relayFixture) int64 {
	t.Helper()
	hv, err := s.HouseholdView(ctx, f.village, f.household)
	if err != nil {
		t.Fatal(err)
	}
	return hv.Members[0].ID
}
