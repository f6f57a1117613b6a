package httpserver_test

import (
	"testing"
	"time"

	"safetynet/sqlstore"
	"safetynet/volunteering"
)

// The volunteering routes in the scope walk: a meal relay for the
// fixture's household in 腰站社区 (inside) and one in 望城区 (outside), each
// with a team and a sign-up link, give {relayID}, {slotID}, {teamID} and
// {token} (the last for the input tests of the public link routes). The volunteer of the
// walk lives in 腰站社区: the inside relay's slots are near them, the
// outside one's are not (404, like a missing slot).
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		ids := map[target]map[string]string{}
		day := time.Now().In(volunteering.Zone).AddDate(0, 0, 2).Format(volunteering.DateLayout)
		for tg, f := range map[target]struct {
			who       string
			household int64
		}{inside: {"village", e.in.household}, outside: {"wc-village", e.out.household}} {
			a := e.actor(f.who)
			id, _, err := e.store.CreateVolunteerRelay(ctx, a, sqlstore.VolunteerRelayInput{ClientID: "walk-relay-" + f.who, HouseholdID: f.household,
				Relay: volunteering.Relay{Title: "走查送餐", ShortName: "走查奶奶", Address: "走查路1号", Tasks: []volunteering.Task{{Kind: volunteering.KindMeal,
					Title: "午餐", From: day, To: day, Windows: []volunteering.Window{{Start: 11 * 60, End: 12 * 60}}, PerSlot: 10}}}})
			if err != nil {
				t.Fatalf("%s: relay to walk with: %v", f.who, err)
			}
			v, err := e.store.VolunteerRelay(ctx, a, id)
			if err != nil || len(v.Slots) != 1 {
				t.Fatalf("%s: relay slots: %v", f.who, err)
			}
			team, err := e.store.CreateVolunteerTeam(ctx, a, "走查志愿队", "")
			if err != nil {
				t.Fatalf("%s: team to walk with: %v", f.who, err)
			}
			token, err := e.store.NewVolunteerLink(ctx, a, id)
			if err != nil {
				t.Fatalf("%s: link to walk with: %v", f.who, err)
			}
			ids[tg] = map[string]string{"relayID": itoa(id), "slotID": itoa(v.Slots[0].ID), "teamID": itoa(team), "token": token}
		}
		return ids
	})
	apiBodies["POST /api/v1/volunteering/relays"] = `{"client_id":"walk-api-relay","household_id":{household},"title":"走查","short_name":"走查奶奶","address":"走查路","tasks":[{"kind":"meal","from":"2030-01-01","to":"2030-01-01","windows":"11:00-12:00"}]}`
	apiBodies["POST /api/v1/volunteering/relays/{relayID}/close"] = `{"version":99}`
	apiBodies["POST /api/v1/volunteering/relays/{relayID}/link"] = `{}`
	apiBodies["POST /api/v1/volunteering/slots/{slotID}/take"] = `{}`
	apiBodies["POST /api/v1/volunteering/slots/{slotID}/release"] = `{}`
	apiBodies["POST /api/v1/volunteering/slots/{slotID}/done"] = `{"note":"探针"}`
	apiBodies["POST /api/v1/volunteering/teams"] = `{"name":"探针队","place_code":"{place}"}`
	apiBodies["POST /api/v1/volunteering/teams/{teamID}/members"] = `{"volunteer_id":1}`
	// The neighbours' routes through a link are public (no scope to walk);
	// their bodies serve the input tests.
	apiBodies["POST /api/v1/volunteering/links/{token}/signup"] = `{"name":"探针","phone":"13800000000"}`
	apiBodies["POST /api/v1/volunteering/links/{token}/slots/{slotID}/take"] = `{}`
	apiBodies["POST /api/v1/volunteering/links/{token}/slots/{slotID}/release"] = `{}`
	apiBodies["POST /api/v1/volunteering/links/{token}/slots/{slotID}/done"] = `{"note":"探针"}`
}
