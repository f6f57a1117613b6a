package httpserver_test

import (
	"net/http"
	"strings"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/sqlstore"
)

// warningWalkSetup fills the path parameters of the warning routes: a
// warning rule of 富源县 (inside) and of 望城区 (outside), and a department
// code (departments are no record at a place).
func warningWalkSetup(t *testing.T, e *env) map[target]map[string]string {
	t.Helper()
	var ids []string
	for _, who := range []string{"county", "wc-county"} {
		a := e.actor(who)
		id, err := e.store.CreateWarningRule(ctx, a, sqlstore.WarningRuleInput{Name: "走查预警", Place: a.Place,
			Source: `e.oop_ytd >= params.medical_oop_ordinary`, EventTypes: []string{"hospitalisation"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, itoa(id))
	}
	return map[target]map[string]string{
		inside:  {"warningRuleID": ids[0], "department": "medical_insurance"},
		outside: {"warningRuleID": ids[1], "department": "medical_insurance"},
		missing: {"warningRuleID": missingUser, "department": "medical_insurance"},
	}
}

func init() {
	walkSetups = append(walkSetups, warningWalkSetup)
	unscopedParams["department"] = true
	apiBodies["POST /api/v1/warning-rules"] = `{"name":"探针","event_types":["hospitalisation"],"place":"{place}","source":"e.registered"}`
	apiBodies["PATCH /api/v1/warning-rules/{warningRuleID}"] = `{"name":"探针","event_types":["hospitalisation"],"place":"{place}","source":"e.registered","version":1}`
	apiBodies["POST /api/v1/warning-rules/{warningRuleID}/preview"] = `{}`
}

// TestWarningsScopeWalk: a department account reads only the feedback of
// its own events, nothing of the staff's warning list; staff read the
// warnings of their scope only; volunteers nothing.
func TestWarningsScopeWalk(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		who, path string
		want      int
	}{
		{"dept", "/api/v1/feeds/medical_insurance/warnings", http.StatusOK},
		{"dept", "/api/v1/warnings", http.StatusForbidden},
		{"dept", "/api/v1/feeds/flood_office/warnings", http.StatusNotFound},
		{"volunteer", "/api/v1/warnings", http.StatusForbidden},
		{"volunteer", "/api/v1/feeds/medical_insurance/warnings", http.StatusForbidden},
		{"village", "/api/v1/warnings?status=nonsense", http.StatusBadRequest},
		{"village", "/api/v1/warnings?event_type=住院", http.StatusOK},
		{"wc-village", "/api/v1/warnings", http.StatusOK},
	} {
		r := e.do("GET", c.path, e.token(c.who), "")
		if r.status != c.want {
			t.Errorf("%s %s: %d, want %d: %.300s", c.who, c.path, r.status, c.want, r.body)
		}
		if c.who == "wc-village" {
			for _, m := range []string{"腰站", "胜境", "孙未登"} {
				if strings.Contains(r.body, m) {
					t.Errorf("wc-village sees %q: %.300s", m, r.body)
				}
			}
		}
	}
	// The department's feedback lists only warnings raised from its own
	// events: another department account of the county sees none of them.
	mine := e.do("GET", "/api/v1/feeds/medical_insurance/warnings", e.token("dept"), "")
	if mine.status != 200 || !strings.Contains(mine.body, "孙未登") || !strings.Contains(mine.body, `"status":"pending"`) {
		t.Fatalf("feedback: %d %.300s", mine.status, mine.body)
	}
	if _, err := e.store.CreateUser(ctx, access.System(), safetynet.NewUser{Username: "zhujian", DisplayName: "县住建局数据接口",
		Role: safetynet.RoleDepartment, PlaceCode: "530325", Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	other := e.do("GET", "/api/v1/feeds/medical_insurance/warnings", e.token("zhujian"), "")
	if other.status != 200 || strings.Contains(other.body, "孙未登") || !strings.Contains(other.body, `"items":[]`) {
		t.Fatalf("another department: %d %.300s", other.status, other.body)
	}
	town := e.do("GET", "/api/v1/warnings?department=medical_insurance", e.token("town"), "")
	if town.status != 200 || !strings.Contains(town.body, "孙未登") {
		t.Fatalf("town: %d %.300s", town.status, town.body)
	}
}
