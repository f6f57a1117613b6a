package httpserver_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/services"
	"safetynet/sqlstore"
)

// The services routes in the scope walk. Inside is the demo's 阳光社工
// (胜境街道's contract), which also covers the fixture's household in
// 腰站社区, with the demo's recorded cleaning and its photo; outside,
// 高塘岭街道 registers an organisation of its own whose worker records a
// cleaning for the fixture's household in 望城区. An organisation's staff
// (the walker "social") see only what their contracts cover.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		town := e.actor("town")
		orgs, err := e.store.ServiceOrgs(ctx, town)
		if err != nil || len(orgs) == 0 || len(orgs[0].Contracts) == 0 {
			t.Fatalf("no demo organisation to walk with: %+v %v", orgs, err)
		}
		in := orgs[0]
		if err := e.store.AddServiceCoverage(ctx, town, in.Contracts[0].ID, e.in.household, ""); err != nil {
			t.Fatal(err)
		}
		recs, err := e.store.ServiceRecords(ctx, town, sqlstore.ServiceRecordFilter{OrgID: in.ID})
		if err != nil || len(recs) == 0 || len(recs[0].Evidence) == 0 {
			t.Fatalf("no demo service record to walk with: %v", err)
		}

		wcTown := e.actor("wc-town")
		now := time.Now()
		contract := services.NewContract{Title: "高塘岭街道居家服务", StartsOn: now.AddDate(0, -1, 0).Format("2006-01-02"),
			EndsOn: now.AddDate(0, 6, 0).Format("2006-01-02"), BudgetFen: 1_000_000, Prices: []services.Price{{Type: services.Cleaning, PriceFen: 3000}},
			Households: []int64{e.out.household}}
		outOrg, err := e.store.CreateServiceOrg(ctx, wcTown, sqlstore.NewServiceOrg{Name: "望城社工", Contract: &contract})
		if err != nil {
			t.Fatal(err)
		}
		u, err := e.store.CreateUser(ctx, access.System(), safetynet.NewUser{Username: "wc-social", DisplayName: "望城社工 邓某", Role: safetynet.RoleSocialWorker,
			PlaceCode: "430112001", Password: "walk-pass-2026"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.AddServiceWorker(ctx, wcTown, outOrg, sqlstore.NewServiceWorker{Name: "邓某", Kind: services.SocialWorker, Username: "wc-social"}); err != nil {
			t.Fatal(err)
		}
		o, err := e.store.ServiceOrg(ctx, wcTown, outOrg)
		if err != nil {
			t.Fatal(err)
		}
		code, err := e.store.IssueHouseholdCode(ctx, e.actor("wc-village"), e.out.household)
		if err != nil {
			t.Fatal(err)
		}
		wcSocial := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
		rec, _, err := e.store.RecordService(ctx, wcSocial, services.NewRecord{ClientID: "walk-outside", HouseholdID: e.out.household,
			Type: services.Cleaning, StartedAt: now.Add(-2 * time.Hour), EndedAt: now.Add(-time.Hour), Code: code, Photos: [][]byte{services.PNG(40, 30, 99)}})
		if err != nil {
			t.Fatal(err)
		}
		return map[target]map[string]string{
			inside: {"serviceOrgID": itoa(in.ID), "serviceContractID": itoa(in.Contracts[0].ID), "serviceRecordID": itoa(recs[0].ID),
				"evidenceID": itoa(recs[0].Evidence[0].ID)},
			outside: {"serviceOrgID": itoa(outOrg), "serviceContractID": itoa(o.Contracts[0].ID), "serviceRecordID": itoa(rec.ID),
				"evidenceID": itoa(rec.Evidence[0].ID)},
		}
	})
	apiBodies["POST /api/v1/services/orgs"] = `{"name":"探针社工","place_code":"{place}","contract":{"title":"探针","starts_on":"2026-01-01","ends_on":"2026-12-31","budget_fen":100000,"prices":[{"service_type":"cleaning","price_fen":3000}]}}`
	apiBodies["POST /api/v1/services/orgs/{serviceOrgID}/contracts"] = `{"place_code":"{place}","title":"探针","starts_on":"2026-01-01","ends_on":"2026-12-31","budget_fen":100000,"prices":[{"service_type":"cleaning","price_fen":3000}]}`
	apiBodies["POST /api/v1/services/orgs/{serviceOrgID}/workers"] = `{"name":"探针","kind":"helper"}`
	apiBodies["POST /api/v1/services/contracts/{serviceContractID}/coverage"] = `{"household_id":{household}}`
	apiBodies["POST /api/v1/services/contracts/{serviceContractID}/plans"] = `{"household_id":{household},"service_type":"cleaning","frequency":"weekly","starts_on":"2026-11-01","ends_on":"2026-12-31"}`
	apiBodies["POST /api/v1/services/contracts/{serviceContractID}/team"] = `{"person_id":{person},"role":"volunteer","worker_id":1}`
	apiBodies["POST /api/v1/households/{householdID}/service-code"] = `{}`
	apiBodies["POST /api/v1/services/records"] = `{"client_id":"walk-svc-{household}","household_id":{household},"service_type":"cleaning","started_at":"2026-11-01T08:00:00Z","ended_at":"2026-11-01T09:00:00Z","code":"123456"}`
}
