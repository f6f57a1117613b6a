package httpserver_test

import (
	"testing"
	"time"

	"safetynet/campaigns"
)

// The concentrated screening routes in the scope walk: a screening of
// 胜境街道 started by its town with the fixture's household screened gives
// {screeningID} and {screeningRecordID} inside; the demo's screening of
// 高塘岭街道 with its fixture household screened gives them outside.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		now := e.store.Now()
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		record := func(who, partner string, campaign, household int64) string {
			rec, _, err := e.store.RecordScreening(ctx, e.actor(who), campaign, campaigns.Screening{ClientID: "walk-" + who, HouseholdID: household,
				Partner: e.userID(partner), ScreenedOn: today, Members: 1, Income: map[string]int64{"transfers": 300000}})
			if err != nil {
				t.Fatalf("%s: screening to walk with: %v", who, err)
			}
			return itoa(rec.ID)
		}
		from, to := today.AddDate(0, 0, -5).Format("2006-01-02"), today.AddDate(0, 0, 30).Format("2006-01-02")
		c, _, err := e.store.CreateCampaign(ctx, e.actor("town"), campaigns.Campaign{ClientID: "walk-screening", Kind: campaigns.KindScreening,
			Title: "胜境街道集中排查", PlaceCode: "530325002", StartsOn: from, EndsOn: to,
			Stages: []campaigns.Stage{{Kind: campaigns.StageScreen, StartsOn: from, EndsOn: to}}})
		if err != nil {
			t.Fatal(err)
		}
		if c, err = e.store.StartCampaign(ctx, e.actor("town"), c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		out := screeningDemo(t, e)
		return map[target]map[string]string{
			inside:  {"screeningID": itoa(c.ID), "screeningRecordID": record("village", "grid", c.ID, e.in.household)},
			outside: {"screeningID": itoa(out.ID), "screeningRecordID": record("wc-village", "wc-grid", out.ID, e.out.household)},
		}
	})
	apiBodies["POST /api/v1/screenings/{screeningID}/records"] = `{"client_id":"walk-screening","household_id":{household},"partner_id":{user},"screened_on":"2026-01-01","members":1,"income":{"wages":"1000"}}`
	apiBodies["POST /api/v1/screening-records/{screeningRecordID}/handover"] = `{"category":"monitor_marginal","risk_causes":["illness"]}`
}
