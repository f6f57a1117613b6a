package demo_test

import (
	"context"
	"testing"
	"time"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/inspections"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoInspections: 瓜州县's inspector sees the closed inspection of
// 布隆吉乡 a month back with its six households (a ledger problem, one not
// found); the demo inspector sees the drawn one of 胜境街道, which the
// county officer of 富源县 does not.
func TestDemoInspections(t *testing.T) {
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
	l, err := s.Inspections(ctx, actor("gz-inspector"), sqlstore.InspectionFilter{})
	if err != nil || len(l) != 1 || l[0].Status != inspections.StatusClosed || l[0].Counts.Households != 6 ||
		l[0].Counts.NotFound != 1 || l[0].Counts.Problems != 1 || l[0].CampaignTitle == "" || l[0].PlannedOn >= time.Now().AddDate(0, 0, -20).Format(time.DateOnly) {
		t.Fatalf("布隆吉乡 = %+v %v", l, err)
	}
	if l, err := s.Inspections(ctx, actor("inspector"), sqlstore.InspectionFilter{}); err != nil || len(l) != 1 || l[0].Status != inspections.StatusDrawn {
		t.Fatalf("the demo inspector's = %+v %v", l, err)
	}
	if l, err := s.Inspections(ctx, actor("county"), sqlstore.InspectionFilter{}); err != nil || len(l) != 0 {
		t.Fatalf("the county officer sees %+v %v", l, err)
	}
}
