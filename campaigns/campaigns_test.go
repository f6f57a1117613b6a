package campaigns

import (
	"testing"

	"safetynet"
)

func valid() Campaign {
	return Campaign{Kind: KindCare, Title: " 关爱服务行动 ", StartsOn: "2021-09-01", EndsOn: "2022-12-31",
		Items: []Item{{Title: "留守老人", Groups: []string{"left_behind_elderly", "left_behind_elderly"}, Units: []ItemUnit{{UnitID: 1, Role: RoleLead}, {UnitID: 2, Role: RoleCooperate}}}},
		Goals: []Goal{{Title: "养老保险待遇发放率", Metric: MetricMeasureShare, Group: "left_behind_elderly", Measure: "pension", Target: 1000, ItemSeq: 1}},
		Stages: []Stage{
			{Kind: StageMobilise, StartsOn: "2021-09-11", EndsOn: "2021-09-20"},
			{Kind: StageRegister, StartsOn: "2021-09-21", EndsOn: "2021-10-31"},
			{Kind: StageSumUp, StartsOn: "2022-04-01", EndsOn: "2022-06-30"},
			{Kind: StageConsolidate, StartsOn: "2022-06-01", EndsOn: "2022-12-31"},
		}}
}

func TestCheck(t *testing.T) {
	c, err := Check(valid())
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "关爱服务行动" || len(c.Items[0].Groups) != 1 || c.Stages[1].Title != "调查摸底（登记造册）" || c.Stages[3].Seq != 4 {
		t.Fatalf("checked = %+v", c)
	}
	cases := []struct {
		name  string
		edit  func(*Campaign)
		field string
	}{
		{"no kind", func(c *Campaign) { c.Kind = "" }, "kind"},
		{"no title", func(c *Campaign) { c.Title = " " }, "title"},
		{"bad date", func(c *Campaign) { c.StartsOn = "2021-9-1" }, "starts_on"},
		{"end before start", func(c *Campaign) { c.EndsOn = "2021-08-01" }, "ends_on"},
		{"stage before the period", func(c *Campaign) { c.Stages[0].StartsOn = "2021-08-31" }, "stages"},
		{"stage after the period", func(c *Campaign) { c.Stages[3].EndsOn = "2023-01-01" }, "stages"},
		{"stages out of order", func(c *Campaign) { c.Stages[0], c.Stages[1] = c.Stages[1], c.Stages[0] }, "stages"},
		{"stage ends before it starts", func(c *Campaign) { c.Stages[1].EndsOn = "2021-09-01" }, "stages"},
		{"stage kind", func(c *Campaign) { c.Stages[1].Kind = "party" }, "stages"},
		{"share over 100%", func(c *Campaign) { c.Goals[0].Target = 1001 }, "goals"},
		{"share of nothing", func(c *Campaign) { c.Goals[0].Target = 0 }, "goals"},
		{"metric", func(c *Campaign) { c.Goals[0].Metric = "happiness" }, "goals"},
		{"group unknown", func(c *Campaign) { c.Goals[0].Group = "martians" }, "goals"},
		{"group missing", func(c *Campaign) { c.Goals[0].Group = "" }, "goals"},
		{"measure missing", func(c *Campaign) { c.Goals[0].Measure = "" }, "goals"},
		{"goal of a missing item", func(c *Campaign) { c.Goals[0].ItemSeq = 2 }, "goals"},
		{"item group unknown", func(c *Campaign) { c.Items[0].Groups = []string{"martians"} }, "items"},
		{"two leads", func(c *Campaign) { c.Items[0].Units[1].Role = RoleLead }, "items"},
		{"unit twice", func(c *Campaign) { c.Items[0].Units[1].UnitID = 1 }, "items"},
		{"item without title", func(c *Campaign) { c.Items[0].Title = "" }, "items"},
		{"village twice", func(c *Campaign) { c.Villages = []string{"1", "1"} }, "villages"},
		{"screening without its stage", func(c *Campaign) { c.Kind = KindScreening }, "stages"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.edit(&c)
			_, err := Check(c)
			e := safetynet.AsError(err)
			if e == nil || e.Code != safetynet.EInvalid || e.Field != tc.field {
				t.Fatalf("err = %v, want invalid %s", err, tc.field)
			}
		})
	}
}

func TestShiftAndStages(t *testing.T) {
	c, _ := Check(valid())
	c.ID, c.Status, c.Items[0].ID = 7, StatusEnded, 3
	n, err := Shift(c, "2026-09-01")
	if err != nil {
		t.Fatal(err)
	}
	if n.ID != 0 || n.CopiedFrom != 7 || n.Status != StatusDraft || n.EndsOn != "2027-12-31" || n.Stages[1].StartsOn != "2026-09-21" || n.Items[0].ID != 0 {
		t.Fatalf("shifted = %+v", n)
	}
	if _, err := Check(n); err != nil {
		t.Fatalf("the shifted copy is not valid: %v", err)
	}
	n.Items[0].Units[0].UnitID = 9
	if c.Items[0].Units[0].UnitID != 1 {
		t.Fatal("the copy shares its units with the template")
	}
	if i := CurrentStage(c.Stages, "2022-06-15"); i != 3 {
		t.Fatalf("current in the overlap = %d, want the later stage", i)
	}
	if i := CurrentStage(c.Stages, "2022-01-15"); i != -1 {
		t.Fatalf("current between stages = %d", i)
	}
	if s := VillageStatus(StageRegister, VillageInProgress, "2021-10-31", "2021-11-01"); s != VillageLate {
		t.Fatalf("register after its end = %s", s)
	}
	if s := VillageStatus(StageRegister, VillageSubmitted, "2021-10-31", "2021-11-01"); s != VillageSubmitted {
		t.Fatalf("submitted = %s", s)
	}
	if s := VillageStatus(StageMobilise, VillageNotStarted, "2021-09-20", "2021-11-01"); s != VillageNotStarted {
		t.Fatalf("a stage not submitted is never late: %s", s)
	}
}

func TestCheckActivity(t *testing.T) {
	c := Campaign{StartsOn: "2021-09-01", EndsOn: "2022-12-31"}
	a := Activity{ClientID: "x", ItemID: 1, Title: " 平安夜话 ", HeldOn: "2021-12-24", Participants: 1, PersonIDs: []int64{1, 2}}
	got, err := CheckActivity(a, c, "2021-12-25")
	if err != nil || got.Title != "平安夜话" || got.Participants != 2 {
		t.Fatalf("checked = %+v %v", got, err)
	}
	for _, tc := range []struct {
		field string
		edit  func(*Activity)
	}{
		{"held_on", func(a *Activity) { a.HeldOn = "2021-08-31" }},
		{"held_on", func(a *Activity) { a.HeldOn = "2021-12-26" }},
		{"title", func(a *Activity) { a.Title = "" }},
		{"item_id", func(a *Activity) { a.ItemID = 0 }},
		{"participants", func(a *Activity) { a.Participants = -1 }},
		{"client_id", func(a *Activity) { a.ClientID = "" }},
	} {
		x := a
		tc.edit(&x)
		if _, err := CheckActivity(x, c, "2021-12-25"); safetynet.AsError(err) == nil || safetynet.AsError(err).Field != tc.field {
			t.Errorf("%s: err = %v", tc.field, err)
		}
	}
	if err := CheckTransition(StatusEnded, StatusRunning); safetynet.CodeOf(err) != safetynet.EConflict {
		t.Fatalf("ended → running: %v", err)
	}
}
