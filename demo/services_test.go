package demo_test

import (
	"context"
	"testing"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/services"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoServices: the demo's social worker 陈静 has 阳光社工's services
// due on her phone, among them 郭宗新's weekly cleaning, and yesterday's
// cleaning is on record at 30 yuan with its photo.
func TestDemoServices(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByUsername(ctx, access.System(), "social")
	if err != nil {
		t.Fatal(err)
	}
	social := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
	day, err := s.MyServices(ctx, social)
	if err != nil {
		t.Fatal(err)
	}
	guo := false
	for _, d := range day.Items {
		guo = guo || (d.WorkerName == "郭宗新" && d.Type == services.Cleaning && d.PriceFen == 3000)
	}
	if !guo || len(day.Workers) < 2 {
		t.Errorf("the social worker's day = %+v", day)
	}
	recs, err := s.ServiceRecords(ctx, social, sqlstore.ServiceRecordFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// The settlement's demo adds last month's reviewed services; the
	// services' own demo record is the one recorded with the code.
	var own *sqlstore.ServiceRecord
	for i := range recs {
		if recs[i].ClientID == "demo-service-1" {
			own = &recs[i]
		}
	}
	if own == nil || own.PriceFen != 3000 || len(own.Evidence) != 1 || own.HouseholdName != "孙秀兰" || own.ConfirmKind != "code" {
		t.Fatalf("records = %+v", recs)
	}
}
