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

// TestDemoGoals: 布隆吉乡's campaign shows real numbers - left-behind
// children visited for the campaign, a pension in force, 布隆吉村's
// activities - and its report holds the two typical cases by name.
func TestDemoGoals(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByUsername(ctx, access.System(), "blj-town")
	if err != nil {
		t.Fatal(err)
	}
	town := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
	list, err := s.Campaigns(ctx, town, sqlstore.CampaignFilter{Status: campaigns.StatusRunning})
	if err != nil || len(list) != 1 {
		t.Fatalf("campaigns = %+v %v", list, err)
	}
	r, err := s.CampaignReportOf(ctx, town, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	figures := map[string]int64{}
	for _, g := range r.Goals.Goals {
		figures[g.Metric] = g.Total.Figure.Num
		if g.Metric == campaigns.MetricVisitedShare && (g.Total.Figure.Den != 3 || g.Total.Figure.Tagged != 2) {
			t.Errorf("children visited = %+v", g.Total.Figure)
		}
	}
	if figures[campaigns.MetricVisitedShare] != 2 || figures[campaigns.MetricMeasureShare] != 1 || figures[campaigns.MetricActivities] < 4 {
		t.Fatalf("goal figures = %v", figures)
	}
	if len(r.Examples) != 2 || r.Examples[0].HouseholdName == "" || r.Figures.VisitsTagged != 2 || r.Figures.Participants < 87 {
		t.Fatalf("report = %+v examples %+v", r.Figures, r.Examples)
	}
}
