package httpserver_test

import (
	"net/http"
	"testing"

	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/visits"
)

// The visit routes in the scope walk: a neighbour paired with the
// fixture's household inside 腰站社区 and one in 望城区 give {pairID}.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		pair := func(who string, household int64) string {
			id, err := e.store.PairVisitor(ctx, e.actor(who), sqlstore.NewVisitPair{HouseholdID: household, Level: visits.LevelNeighbour,
				Name: "走查邻居", Phone: "13800000001"})
			if err != nil {
				t.Fatalf("%s: visit pair to walk with: %v", who, err)
			}
			return itoa(id)
		}
		return map[target]map[string]string{
			inside:  {"pairID": pair("village", e.in.household)},
			outside: {"pairID": pair("wc-village", e.out.household)},
		}
	})
	apiBodies["PUT /api/v1/visits/key-families/{householdID}"] = `{"note":"探针"}`
	apiBodies["DELETE /api/v1/visits/key-families/{householdID}"] = `{}`
	apiBodies["DELETE /api/v1/visits/pairs/{pairID}"] = `{}`
	apiBodies["POST /api/v1/visits/pairs"] = `{"household_id":{household},"level":"neighbour","name":"探针","phone":"13800000002"}`
	apiBodies["POST /api/v1/visits"] = `{"client_id":"walk-{household}","household_id":{household},"kind":"call","result":"fine"}`
	apiBodies["POST /api/v1/visits/must"] = `{"household_id":{household},"trigger":"wedding"}`
	apiBodies["PUT /api/v1/visits/plan"] = `{"version":0,"frequencies":[{"group":"key_family","need":"any","every":1,"unit":"day"}],"within":[]}`
	// The plan names no record: those who edit settings get an answer
	// (409 once another walker changed it), the others 403.
	unscopedWrites["PUT /api/v1/visits/plan"] = func(t *testing.T, w walk) {
		r := w.send(inside)
		ok := r.status == http.StatusForbidden
		if w.may(access.SettingsEdit) {
			ok = r.status == http.StatusOK || r.status == http.StatusConflict
		}
		if !ok {
			t.Errorf("plan: %d: %.300s", r.status, r.body)
		}
	}
}
