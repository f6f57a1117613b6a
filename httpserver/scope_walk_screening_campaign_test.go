package httpserver_test

import (
	"testing"
	"time"

	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// The concentrated screening routes in the scope walk: the demo's
// screening of 胜境街道 with the fixture's household screened gives
// {screeningID} and {screeningRecordID} inside; a screening of 高塘岭街道 with its
// fixture household screened gives them outside.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		today := e.store.Now()
		day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		record := func(who, partner string, campaign, household int64) string {
			rec, _, err := e.store.RecordScreening(ctx, e.actor(who), campaign, campaigns.Screening{ClientID: "walk-" + who, HouseholdID: household,
				Partner: e.userID(partner), ScreenedOn: day, Members: 1, Income: map[string]int64{"transfers": 300000}})
			if err != nil {
				t.Fatalf("%s: screening to walk with: %v", who, err)
			}
			return itoa(rec.ID)
		}
		in := screeningDemo(t, e)
		out, err := e.store.SeedScreening(ctx, sqlstore.ScreeningSeed{ClientID: "walk-wc", Title: "高塘岭街道集中排查", Place: "430112001",
			StartsOn: day.AddDate(0, 0, -5), EndsOn: day.AddDate(0, 0, 30), CreatedBy: "wc-town"})
		if err != nil {
			t.Fatal(err)
		}
		return map[target]map[string]string{
			inside:  {"screeningID": itoa(in.ID), "screeningRecordID": record("village", "grid", in.ID, e.in.household)},
			outside: {"screeningID": itoa(out), "screeningRecordID": record("wc-village", "wc-grid", out, e.out.household)},
		}
	})
	apiBodies["POST /api/v1/screenings/{screeningID}/records"] = `{"client_id":"walk-screening","household_id":{household},"partner_id":{user},"screened_on":"2026-01-01","members":1,"income":{"wages":"1000"}}`
	apiBodies["POST /api/v1/screening-records/{screeningRecordID}/handover"] = `{"category":"monitor_marginal","risk_causes":["illness"]}`
}
