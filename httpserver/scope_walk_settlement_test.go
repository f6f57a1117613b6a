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
// fixture's household of its place, give {orgID} and {serviceRecordID};
// {month} names no record.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		ids := map[target]map[string]string{missing: {"month": walkMonth}}
		for tg, f := range map[target]struct {
			place     string
			household int64
			user      int64
		}{inside: {demo.Yaozhan, e.in.household, e.userID("social")}, outside: {"430112001", e.out.household, 0}} {
			org, err := e.store.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: "走查社工", Place: f.place, Title: "走查合同", StartsOn: "2026-01-01",
				EndsOn: "2026-12-31", BudgetFen: 100000, Prices: map[string]int64{"cleaning": 3000}, Workers: []string{"走查员"}, WorkerUser: []int64{f.user}})
			if err != nil {
				t.Fatalf("walk organisation: %v", err)
			}
			start := time.Date(2026, 10, 12, 9, 0, 0, 0, settlement.Zone)
			rec, err := e.store.SeedServiceRecords(ctx, []sqlstore.ServiceRecordSeed{{Contract: org.Contract, Worker: org.Workers[0],
				Household: f.household, Type: "cleaning", Start: start, End: start.Add(time.Hour), Photo: walkJPEG}})
			if err != nil {
				t.Fatalf("walk record: %v", err)
			}
			ids[tg] = map[string]string{"orgID": itoa(org.Org), "serviceRecordID": itoa(rec[0]), "month": walkMonth}
		}
		return ids
	})
	unscopedParams["month"] = true
	apiBodies["POST /api/v1/verification/samples"] = `{"place":"{place}","month":"` + walkMonth + `","percent":20,"seed":7}`
	apiBodies["POST /api/v1/verification/{serviceRecordID}/review"] = `{"decision":"rejected","reason":"探针","version":1}`
	apiBodies["POST /api/v1/settlements/{orgID}/{month}/approve"] = `{"total_fen":0}`
	apiBodies["POST /api/v1/settlements/{orgID}/{month}/adjustments"] = `{"client_id":"walk-adjust-01","about_month":"2026-09","contract_id":1,"amount_fen":-100,"reason":"探针"}`
}
