package demo_test

import (
	"context"
	"testing"

	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoCampaigns: 布隆吉乡's officer sees seed 004's campaign running,
// with its document number, four work items led by the seed's units and
// five stages, today in the carry-out stage just after the register
// stage; 布隆吉村 has it among its tasks; last round's campaign is ended.
func TestDemoCampaigns(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	actor := func(name string) access.Actor {
		u, err := s.UserByUsername(ctx, access.System(), name)
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
	}
	list, err := s.Campaigns(ctx, actor("gz-county"), sqlstore.CampaignFilter{})
	if err != nil || len(list) != 2 || list[0].Status != campaigns.StatusRunning || list[1].Status != campaigns.StatusEnded {
		t.Fatalf("campaigns = %+v %v", list, err)
	}
	c, err := s.Campaign(ctx, actor("blj-town"), list[0].ID)
	if err != nil || c.DocNo != "瓜农领办发[2021]36号" || len(c.Items) != 4 || len(c.Stages) != 5 || len(c.Villages) != 5 {
		t.Fatalf("campaign = %+v %v", c, err)
	}
	school := false
	for _, u := range c.Items[2].Units {
		school = school || (u.Name == "布隆吉乡中心小学" && u.Role == campaigns.RoleCooperate)
	}
	if c.Items[1].Units[0].Name != "乡妇联" || c.Items[1].Units[0].Role != campaigns.RoleLead || !school {
		t.Fatalf("units = %+v", c.Items)
	}
	today := campaigns.Today(s.Now())
	if i := campaigns.CurrentStage(c.Stages, today); i < 0 || c.Stages[i].Kind != campaigns.StageCarryOut || c.Stages[1].EndsOn >= today {
		t.Fatalf("today %s in stage %d of %+v", today, i, c.Stages)
	}
	tasks, err := s.MyCampaignTasks(ctx, actor("blj-village"))
	if err != nil || len(tasks) != 1 || tasks[0].Stage == nil || tasks[0].Stage.Kind != campaigns.StageCarryOut {
		t.Fatalf("tasks = %+v %v", tasks, err)
	}
	if _, err := s.Campaign(ctx, actor("village"), c.ID); err == nil {
		t.Fatal("腰站社区 sees 布隆吉乡's campaign")
	}
}
