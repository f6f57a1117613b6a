package httpserver_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"safetynet/visits"
)

type dayOut struct {
	Date     string `json:"date"`
	Sections []struct {
		Name  string `json:"name"`
		Items []struct {
			ID          int64  `json:"id"`
			HouseholdID int64  `json:"household_id"`
			Name        string `json:"name"`
			What        string `json:"what"`
			Label       string `json:"label"`
		} `json:"items"`
	} `json:"sections"`
}

func dayOf(t *testing.T, e *env, token string) dayOut {
	t.Helper()
	r := e.do("GET", "/api/v1/visits/today", token, "")
	if r.status != http.StatusOK {
		t.Fatalf("today: %d %s", r.status, r.body)
	}
	var d dayOut
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestVisitsAPI: the demo grid worker's day lists the key family's call
// and home revisit and the must-visit after a hospitalisation; "all fine"
// sent twice is one visit; "not fine" points to the clue form; the
// neighbour sees only the household paired with them; the plan form
// refuses a bad interval with its field.
func TestVisitsAPI(t *testing.T) {
	e := newEnv(t)
	grid := e.token("grid")
	d := dayOf(t, e, grid)
	if len(d.Sections) < 2 || d.Sections[0].Name != "visits" || d.Sections[1].Name != "outreach" {
		t.Fatalf("sections: %+v", d)
	}
	var call, must int64
	var key int64
	for _, it := range d.Sections[0].Items {
		switch {
		case it.Name == "周桂芝" && it.What == visits.NeedAny:
			call, key = it.ID, it.HouseholdID
		case it.Name == "吴长顺" && it.What == "must_hospital":
			must = it.ID
			if it.Label != "必访：住院" && it.Label != "Must visit: in hospital" {
				t.Errorf("label %q", it.Label)
			}
		}
	}
	if call == 0 || must == 0 {
		t.Fatalf("no daily call or must-visit: %+v", d.Sections[0].Items)
	}
	body := `{"client_id":"api-1","due_id":` + itoa(call) + `,"kind":"call","result":"fine"}`
	if r := e.do("POST", "/api/v1/visits", grid, body); r.status != http.StatusCreated || !strings.Contains(r.body, `"closed":1`) {
		t.Fatalf("record: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/visits", grid, body); r.status != http.StatusOK || !strings.Contains(r.body, `"created":false`) {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	for _, it := range dayOf(t, e, grid).Sections[0].Items {
		if it.ID == call {
			t.Fatal("the call is still due")
		}
	}
	r := e.do("POST", "/api/v1/visits", grid, `{"client_id":"api-2","due_id":`+itoa(must)+`,"kind":"home","result":"not_fine"}`)
	if r.status != http.StatusCreated || !strings.Contains(r.body, `"report_link":"/report?household=`) {
		t.Fatalf("not fine: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/visits", grid, `{"client_id":"api-3","household_id":`+itoa(key)+`,"kind":"letter","result":"fine"}`)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"kind"`) {
		t.Fatalf("bad kind: %d %s", r.status, r.body)
	}
	// The volunteer is the key family's neighbour: that household only.
	for _, it := range dayOf(t, e, e.token("volunteer")).Sections[0].Items {
		if it.HouseholdID != key {
			t.Errorf("volunteer sees household %d", it.HouseholdID)
		}
	}
	county := e.token("county")
	r = e.do("PUT", "/api/v1/visits/plan", county, `{"version":0,"frequencies":[{"group":"colour_red","need":"any","every":0,"unit":"fortnight"}],"within":[]}`)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"frequencies[0].unit"`) {
		t.Fatalf("bad plan: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/api/v1/visits/plan", grid, `{"version":0,"frequencies":[],"within":[]}`); r.status != http.StatusForbidden {
		t.Fatalf("grid worker sets the plan: %d", r.status)
	}
	if r := e.do("GET", "/api/v1/visits/coverage?days=1", county, ""); r.status != http.StatusOK || !strings.Contains(r.body, `"place_name":"富源县"`) {
		t.Fatalf("coverage: %d %.300s", r.status, r.body)
	}
	// The web form: "有困难" opens the clue form for the household.
	br := e.browser()
	br.login("grid")
	if r := br.get("/today"); r.status != http.StatusOK || !strings.Contains(r.body, "周桂芝") || !strings.Contains(r.body, "一切正常") {
		t.Fatalf("today page: %d", r.status)
	}
	hr := br.post("/today/visits", url.Values{"household_id": {itoa(key)}, "kind": {"home"}, "result": {"not_fine"}})
	if hr.status != http.StatusSeeOther || hr.header.Get("Location") != "/report?household="+itoa(key) {
		t.Fatalf("not fine on the web: %d %s", hr.status, hr.header.Get("Location"))
	}
}
