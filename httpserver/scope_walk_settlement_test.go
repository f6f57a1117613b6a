package httpserver_test

import (
	"testing"
	"time"

	"safetynet/demo"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// walkMonth is a month that has ended, holding the walk's services.
const walkMonth = "2026-10"

// The verification and settlement routes in the scope walk: an
// organisation registered in 腰站社区 (its worker is the demo social
// worker's login) and one in 望城区, each with a service recorded at the
// fixture's household of its place, give {orgID} and {verifyRecordID};
// {month} names no record.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		ids := map[target]map[string]string{missing: {"month": walkMonth}}
		// Inside: the organisation the demo social worker works for, if the
		// services demo made one (its staff see only their own), else one
		// registered in 腰站社区 with the social worker as its worker.
		social := e.userID("social")
		in, ok, err := e.store.StaffOrgOf(ctx, social)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			if in, err = e.store.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: "走查社工", Place: demo.Yaozhan, Title: "走查合同", StartsOn: "2026-01-01",
				EndsOn: "2026-12-31", BudgetFen: 100000, Prices: map[string]int64{"cleaning": 3000}, Workers: []string{"走查员"},
				WorkerUser: []int64{social}}); err != nil {
				t.Fatalf("walk organisation: %v", err)
			}
		}
		out, err := e.store.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: "走查社工", Place: "430112001", Title: "走查合同", StartsOn: "2026-01-01",
			EndsOn: "2026-12-31", BudgetFen: 100000, Prices: map[string]int64{"cleaning": 3000}, Workers: []string{"走查员"}})
		if err != nil {
			t.Fatalf("walk organisation: %v", err)
		}
		for tg, f := range map[target]struct {
			org       sqlstore.ServiceOrgIDs
			household int64
		}{inside: {in, e.in.household}, outside: {out, e.out.household}} {
			start := time.Date(2026, 10, 12, 9, 0, 0, 0, settlement.Zone)
			rec, err := e.store.SeedServiceRecords(ctx, []sqlstore.ServiceRecordSeed{{Contract: f.org.Contract, Worker: f.org.Workers[0],
				Household: f.household, Type: "cleaning", Start: start, End: start.Add(time.Hour), Photo: walkJPEG}})
			if err != nil {
				t.Fatalf("walk record: %v", err)
			}
			ids[tg] = map[string]string{"orgID": itoa(f.org.Org), "verifyRecordID": itoa(rec[0]), "month": walkMonth}
		}
		return ids
	})
	unscopedParams["month"] = true
	apiBodies["POST /api/v1/verification/samples"] = `{"place":"{place}","month":"` + walkMonth + `","percent":20,"seed":7}`
	apiBodies["POST /api/v1/verification/{verifyRecordID}/review"] = `{"decision":"rejected","reason":"探针","version":1}`
	apiBodies["POST /api/v1/settlements/{orgID}/{month}/approve"] = `{"total_fen":0}`
	apiBodies["POST /api/v1/settlements/{orgID}/{month}/adjustments"] = `{"client_id":"walk-adjust-01","about_month":"2026-09","contract_id":1,"amount_fen":-100,"reason":"探针"}`
}
