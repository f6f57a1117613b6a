package httpserver_test

import "testing"

// The campaign goals' routes in the scope walk: a running campaign of
// 富源县 with a typical case in 腰站社区, and one of 望城区, give
// {campaignID}, {goalID} and {exampleID}.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		in := startGoalsCampaign(t, e.store, e.actor("county"), e.actor("village"), "walk-goals-in", e.in.household)
		out := startGoalsCampaign(t, e.store, e.actor("wc-county"), e.actor("wc-village"), "walk-goals-out", e.out.household)
		return map[target]map[string]string{
			inside:  {"campaignID": itoa(in.id), "goalID": itoa(in.visitGoal), "exampleID": itoa(in.example)},
			outside: {"campaignID": itoa(out.id), "goalID": itoa(out.visitGoal), "exampleID": itoa(out.example)},
		}
	})
	apiBodies["POST /api/v1/campaigns/{campaignID}/examples"] = `{"household_id":{household},"title":"探针","text":"探针"}`
	apiBodies["DELETE /api/v1/campaigns/{campaignID}/examples/{exampleID}"] = `{}`
}
