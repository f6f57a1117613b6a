package httpserver_test

import (
	"net/http"
	"testing"

	"safetynet/access"
	"safetynet/monitoring"
)

// The monitoring routes in the scope walk: an elimination of the fixture's
// monitored household inside 腰站社区 and one in 望城区 give {processID}.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		start := func(who string, household int64) string {
			id, err := e.store.ProposeMonitoring(ctx, e.actor(who), household, monitoring.Proposal{Kind: monitoring.Eliminate,
				IncomeFen: 2_400_000, Members: 2, Reason: "走查"}, 0)
			if err != nil {
				t.Fatalf("%s: monitoring process to walk with: %v", who, err)
			}
			return itoa(id)
		}
		return map[target]map[string]string{
			inside:  {"processID": start("village", e.in.household)},
			outside: {"processID": start("wc-village", e.out.household)},
		}
	})
	body := `{"passed":true,"date":"2026-01-01","participants":9,"start":"2026-01-01","end":"2026-01-05","where":"探针","note":"探针","version":1}`
	for _, step := range []string{"review", "notice", "town", "county"} {
		apiBodies["POST /api/v1/monitoring/processes/{processID}/"+step] = body
	}
	apiBodies["POST /api/v1/monitoring/processes"] = `{"household_id":{household},"kind":"include","category":"monitor_marginal","risk_causes":["illness"],"income":"12000"}`
	apiBodies["POST /api/v1/monitoring/processes/{processID}/resubmit"] = `{"income":"12000","members":2,"reason":"探针","version":1}`
	apiBodies["POST /api/v1/monitoring/processes/{processID}/withdraw"] = `{"note":"探针","version":1}`
	apiBodies["POST /api/v1/monitoring/assessments"] = `{"household_id":{household},"date":"2026-01-01","income":"12000","members":2}`
	apiBodies["PUT /api/v1/monitoring/settings"] = `{"review_days":4,"notice_days":7,"town_days":2,"county_days":2,"notice_min_days":5,"above_months":6,"min_monitored_months":6,"review_months":6}`
	// The settings name no record: those who edit settings get an answer,
	// the others 403.
	unscopedWrites["PUT /api/v1/monitoring/settings"] = func(t *testing.T, w walk) {
		r := w.send(inside)
		want := http.StatusForbidden
		if w.may(access.SettingsEdit) {
			want = http.StatusOK
		}
		if r.status != want {
			t.Errorf("settings: %d, want %d: %.300s", r.status, want, r.body)
		}
	}
}
