package httpserver_test

import (
	"testing"
	"time"

	"safetynet/campaigns"
	"safetynet/demo"
	"safetynet/services"
)

// The campaigns routes in the scope walk. Inside, 胜境街道 runs a
// campaign implemented by 腰站社区, which recorded an activity with a
// photo; outside, 高塘岭街道 runs one of its own with 西塘街社区's activity
// and a unit. Every route naming the outside campaign, village, activity
// or unit must answer like a missing one.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		today := time.Now().In(campaigns.Zone)
		day := func(d int) string { return today.AddDate(0, 0, d).Format(campaigns.DateLayout) }
		made := map[target]map[string]string{}
		for _, side := range []struct {
			tg               target
			town, village    string
			place, vcode, id string
			walked           string // the village the routes name
		}{
			{inside, "town", "village", "530325002", demo.Yaozhan, "walk-camp-in", demo.Yaozhan},
			// 高塘岭社区, not the outside place itself, which the walk
			// already names as {code}.
			{outside, "wc-town", "wc-village", "430112001", "430112001001", "walk-camp-out", "430112001002"},
		} {
			town, village := e.actor(side.town), e.actor(side.village)
			u, err := e.store.SaveOrgUnit(ctx, town, campaigns.Unit{PlaceCode: side.place, Name: "走访探针站所"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			c, _, err := e.store.CreateCampaign(ctx, town, campaigns.Campaign{ClientID: side.id, Kind: campaigns.KindCare, Title: "探针关爱行动",
				PlaceCode: side.place, StartsOn: day(-30), EndsOn: day(60),
				Items:  []campaigns.Item{{Title: "关爱留守老人", Groups: []string{"left_behind_elderly"}, Units: []campaigns.ItemUnit{{UnitID: u.ID, Role: campaigns.RoleLead}}}},
				Stages: []campaigns.Stage{{Kind: campaigns.StageRegister, StartsOn: day(-30), EndsOn: day(-1)}, {Kind: campaigns.StageCarryOut, StartsOn: day(0), EndsOn: day(60)}}})
			if err != nil {
				t.Fatal(err)
			}
			if c, err = e.store.StartCampaign(ctx, town, c.ID, c.Version); err != nil {
				t.Fatal(err)
			}
			a, _, err := e.store.RecordCampaignActivity(ctx, village, campaigns.Activity{ClientID: side.id, CampaignID: c.ID, ItemID: c.Items[0].ID,
				VillageCode: side.vcode, Title: "平安夜话", HeldOn: day(-2), Participants: 9, Photo: services.PNG(40, 30, 7)})
			if err != nil {
				t.Fatal(err)
			}
			made[side.tg] = map[string]string{"campaignID": itoa(c.ID), "villageCode": side.walked, "activityID": itoa(a.ID), "unitID": itoa(u.ID)}
		}
		return made
	})
	campaign := `{"client_id":"walk-{place}","kind":"care","title":"探针","place_code":"{place}","starts_on":"2026-01-01","ends_on":"2026-12-31",` +
		`"stages":[{"kind":"carry_out","starts_on":"2026-01-01","ends_on":"2026-12-31"}]}`
	apiBodies["POST /api/v1/campaigns"] = campaign
	apiBodies["PUT /api/v1/campaigns/{campaignID}"] = `{"version":1,"kind":"care","title":"探针","starts_on":"2026-01-01","ends_on":"2026-12-31"}`
	apiBodies["POST /api/v1/campaigns/{campaignID}/start"] = `{"version":1}`
	apiBodies["POST /api/v1/campaigns/{campaignID}/end"] = `{"version":2}`
	apiBodies["POST /api/v1/campaigns/{campaignID}/activities"] = `{"client_id":"walk-act","item_id":1,"village_code":"{villageCode}","title":"探针","held_on":"2026-01-02"}`
	apiBodies["POST /api/v1/org-units"] = `{"place_code":"{place}","name":"探针站所"}`
	apiBodies["PUT /api/v1/org-units/{unitID}"] = `{"name":"探针站所","members":[]}`
}
