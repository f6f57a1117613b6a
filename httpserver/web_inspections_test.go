package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"safetynet/sqlstore"
)

// secretInspection finds the demo's drawn inspection of 胜境街道, secret to
// the demo inspector: its id, title and one sampled household.
func secretInspection(t *testing.T, e *env) (sqlstore.InspectionView, int64) {
	t.Helper()
	l, err := e.store.Inspections(ctx, e.actor("inspector"), sqlstore.InspectionFilter{Status: "drawn"})
	if err != nil || len(l) != 1 {
		t.Fatalf("the demo's secret inspection: %+v %v", l, err)
	}
	v, err := e.store.InspectionByID(ctx, e.actor("inspector"), l[0].ID)
	if err != nil || len(v.Sample) == 0 || len(v.Sample[0].Households) == 0 {
		t.Fatalf("its sample: %+v %v", v, err)
	}
	var sample int64
	for _, sv := range v.Sample {
		if sv.Code == "530325002009" {
			sample = sv.Households[0].ID
		}
	}
	if sample == 0 {
		sample = v.Sample[0].Households[0].ID
	}
	return v, sample
}

// TestInspectionSecrecyWeb walks every path a user could learn of an
// inspection before it starts — its list and count, its page, a sampled
// household's page and photo, the API, the audit log page and API, the
// home page, the work list, notifications, search — as a village user,
// a town officer, a county officer and a county administrator who are
// not its inspectors; then the inspector starts it and they see it.
func TestInspectionSecrecyWeb(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		v, sample := secretInspection(t, e)
		id := fmt.Sprint(v.ID)
		title := v.Title
		head := v.Sample[0].Households[0].HeadName
		pages := []string{"/", "/inspections", "/inspections/" + id, "/inspection-samples/" + fmt.Sprint(sample), "/audit",
			"/audit?object_type=inspection&object_id=" + id, "/work", "/inbox"}
		apis := []string{"/api/v1/inspections", "/api/v1/inspections/" + id, "/api/v1/inspections/" + id + "/redraw",
			"/api/v1/inspections/" + id + "/checks", "/api/v1/inspection-samples/" + fmt.Sprint(sample),
			"/api/v1/audit?limit=500", "/api/v1/audit?object_type=inspection&object_id=" + id, "/api/v1/inbox",
			"/api/v1/search?q=" + url.QueryEscape(title)}
		// What would tell of it: its title, its seed, a link to it or an
		// audit entry about it (the audit page's action filter names every
		// kind of action, so the words alone tell nothing).
		leaks := []string{title, fmt.Sprint(v.Seed), `href="/inspections/` + id + `"`, `"object_type":"inspection"`}
		for _, who := range []string{"village", "town", "county", "fy-admin", "grid"} {
			br := e.browser()
			br.login(who)
			for _, p := range pages {
				r := br.get(p)
				for _, l := range leaks {
					if strings.Contains(r.body, l) {
						t.Errorf("%s: %s (%d) shows %q before the start", who, p, r.status, l)
					}
				}
				if strings.HasPrefix(p, "/inspection") && p != "/inspections" && r.status != http.StatusNotFound && r.status != http.StatusForbidden {
					t.Errorf("%s: %s answers %d before the start", who, p, r.status)
				}
			}
			tok := e.token(who)
			for _, p := range apis {
				r := e.do("GET", p, tok, "")
				for _, l := range leaks {
					if strings.Contains(r.body, l) {
						t.Errorf("%s: API %s (%d) shows %q before the start", who, p, r.status, l)
					}
				}
				if strings.Contains(p, "/inspections/") || strings.Contains(p, "inspection-samples") {
					if r.status != http.StatusNotFound && r.status != http.StatusForbidden {
						t.Errorf("%s: API %s answers %d before the start", who, p, r.status)
					}
				}
			}
			if r := e.do("POST", "/api/v1/inspections/"+id+"/start", tok, fmt.Sprintf(`{"version":%d}`, v.Version)); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
				t.Errorf("%s starts the inspection: %d", who, r.status)
			}
		}
		// The inspector sees it everywhere, the seed in the audit log too.
		br := e.browser()
		br.login("inspector")
		if r := br.get("/inspections"); !strings.Contains(r.body, title) {
			t.Fatalf("the inspector's list lacks the inspection: %.300s", r.body)
		}
		if r := br.get("/inspections/" + id); r.status != http.StatusOK || !strings.Contains(r.body, head) || !strings.Contains(r.body, "id=\"insp-start\"") {
			t.Fatalf("the inspector's page: %d %.500s", r.status, r.body)
		}
		if r := br.get("/audit?object_type=inspection&object_id=" + id); !strings.Contains(r.body, fmt.Sprint(v.Seed)) {
			t.Fatalf("the inspector's audit page lacks the seed")
		}
		// (The env's fixtures added households since the demo drew: the check says the register changed.)
		if r := br.get("/inspections/" + id + "?verify=1"); !strings.Contains(r.body, `id="insp-redraw"`) || !strings.Contains(r.body, "台账已有变化") {
			t.Fatalf("the seed check: %.500s", r.body)
		}
		r := br.post("/inspections/"+id+"/start", url.Values{"version": {fmt.Sprint(v.Version)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("start: %d %.300s", r.status, r.body)
		}
		// Started: the county officer and the village see it (the village its own part).
		county := e.browser()
		county.login("county")
		if r := county.get("/inspections/" + id); r.status != http.StatusOK || !strings.Contains(r.body, title) {
			t.Fatalf("county after start: %d", r.status)
		}
		if r := county.get("/audit?object_type=inspection&object_id=" + id); !strings.Contains(r.body, fmt.Sprint(v.Seed)) {
			t.Fatal("the county's audit page lacks the draw after the start")
		}
		village := e.browser()
		village.login("village")
		if r := village.get("/inspections"); !strings.Contains(r.body, title) {
			t.Fatal("the village's list lacks the started inspection")
		}
		// The inspector checks a household through the form with no script.
		form := url.Values{"client_id": {"web-check-1"}, "found": {"1"}, "household_says": {"满意"}}
		for _, it := range []string{"visited", "ledger", "measures", "services", "opinion"} {
			form.Set("a_"+it, "ok")
		}
		form.Set("a_visited", "problem")
		r = br.post("/inspection-samples/"+fmt.Sprint(sample), form)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "“按计划走访”有问题，请写明问题") {
			t.Fatalf("a problem without a note: %d %.300s", r.status, r.body)
		}
		form.Set("n_visited", "三个月未走访")
		if r = br.post("/inspection-samples/"+fmt.Sprint(sample), form); r.status != http.StatusSeeOther {
			t.Fatalf("check: %d %.300s", r.status, r.body)
		}
		if r = br.get("/inspection-samples/" + fmt.Sprint(sample)); !strings.Contains(r.body, "三个月未走访") {
			t.Fatalf("the check's page: %.300s", r.body)
		}
	})
}
