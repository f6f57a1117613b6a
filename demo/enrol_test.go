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

// TestEnrolmentDemo: in 布隆吉乡's campaign two villages submitted in time,
// one late, one began its list and one did nothing (both late); the
// town's progress adds up, and the late villages have their reminders.
func TestEnrolmentDemo(t *testing.T) {
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
	l, err := s.Campaigns(ctx, town, sqlstore.CampaignFilter{Status: campaigns.StatusRunning})
	if err != nil || len(l) != 1 {
		t.Fatalf("campaigns = %v, %v", l, err)
	}
	p, err := s.CampaignEnrolProgress(ctx, town, l[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Total.Villages != 5 || p.Total.Submitted != 3 || p.Total.SubmittedLate != 1 || p.Total.Late != 2 ||
		p.Total.Counts["left_behind_elderly"] < 8 || p.Total.Counts["left_behind_woman"] != 4 || p.Total.Counts["left_behind_child"] < 1 {
		t.Fatalf("布隆吉乡's progress = %+v", p.Total)
	}
	items, _, err := s.WorkList(ctx, town, sqlstore.WorkFilter{})
	late := 0
	for _, it := range items {
		if it.Kind == campaigns.DeadlineStage {
			late++
		}
	}
	if err != nil || late != 2 {
		t.Fatalf("late villages in the work list: %d, %v", late, err)
	}
}
