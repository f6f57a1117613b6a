package demo_test

import (
	"context"
	"testing"
	"time"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/settlement"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoSettlement: with this month's services of an organisation (as
// the services demo records them), last month gets the same services
// weekly, verified (one rejected) and approved, and this month's are half
// accepted; the demo's own organisations, if any, have last month approved.
func TestDemoSettlement(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 11, 20, 10, 0, 0, 0, settlement.Zone))
	s := storetest.SQLite(t, clock)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	sys := access.System()
	// The services demo's organisations (none before it is there) have
	// last month approved by the loader.
	l, err := s.SettlementMonths(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range l {
		if m.Month == "2026-10" && !m.Approved {
			t.Errorf("the demo left %+v a draft", m)
		}
	}
	hs, err := s.BenchHouseholds(ctx, demo.Yaozhan, 2)
	if err != nil || len(hs) < 2 {
		t.Fatalf("households: %v %v", hs, err)
	}
	org, err := s.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: "阳光社工", Place: "530325002", Title: "2026年居家服务", StartsOn: "2026-01-01",
		EndsOn: "2026-12-31", BudgetFen: 1_000_000, Prices: map[string]int64{"cleaning": 3000}, Workers: []string{"郭宗新", "陈静"}})
	if err != nil {
		t.Fatal(err)
	}
	var recs []sqlstore.ServiceRecordSeed
	for i, h := range hs {
		start := time.Date(2026, 11, 18+i, 9, 0, 0, 0, settlement.Zone)
		recs = append(recs, sqlstore.ServiceRecordSeed{Contract: org.Contract, Worker: org.Workers[i], Household: h, Type: "cleaning",
			Start: start, End: start.Add(time.Hour), Checked: true})
	}
	if _, err := s.SeedServiceRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadSettlement(ctx, s); err != nil {
		t.Fatal(err)
	}
	oct, err := s.Settlement(ctx, sys, org.Org, "2026-10", 0)
	if err != nil || !oct.Approved || oct.Accepted != 7 || oct.Rejected != 1 || oct.TotalFen != 7*3000 || len(oct.RejectedList) != 1 {
		t.Fatalf("October = %+v, %v", oct, err)
	}
	nov, err := s.Settlement(ctx, sys, org.Org, "2026-11", 0)
	if err != nil || nov.Approved || nov.Accepted != 1 || nov.Pending != 1 {
		t.Fatalf("November = %+v, %v", nov, err)
	}
	// Loading again changes nothing.
	if err := demo.LoadSettlement(ctx, s); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Settlement(ctx, sys, org.Org, "2026-10", 0); again.TotalFen != oct.TotalFen || again.Accepted != 7 {
		t.Fatalf("October after a second load = %+v", again)
	}
}
