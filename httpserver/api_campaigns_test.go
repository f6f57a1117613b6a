package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"safetynet/campaigns"
	"safetynet/services"
)

// TestCampaignAPI: the town's officer makes a unit and a campaign over
// the API (a resend is the same), starts it; the grid worker tags a visit
// with it and an outside village cannot; the village records an activity
// and reads its tasks; the tagged visit is counted for its village.
func TestCampaignAPI(t *testing.T) {
	e := newEnv(t)
	town, grid, village, wc := e.token("town"), e.token("grid"), e.token("village"), e.token("wc-village")
	r := e.do("POST", "/api/v1/org-units", town, `{"place_code":"530325002","name":"街道社会事务办","members":[`+itoa(e.userID("town"))+`]}`)
	var unit campaigns.Unit
	r.json(t, &unit)
	if r.status != http.StatusCreated || len(unit.Members) != 1 || unit.Members[0].Name != "胜境街道 李华" {
		t.Fatalf("unit: %d %s", r.status, r.body)
	}
	today := time.Now().In(campaigns.Zone)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(campaigns.DateLayout) }
	body := fmt.Sprintf(`{"client_id":"api-c1","kind":"care","title":"胜境街道关爱行动","doc_no":"胜办发[2026]2号","place_code":"530325002",
		"starts_on":"%s","ends_on":"%s","items":[{"title":"关爱留守儿童","groups":["left_behind_child"],"units":[{"unit_id":%d,"role":"lead"}]}],
		"goals":[{"title":"留守儿童走访率","metric":"visited_share","group":"left_behind_child","target":1000,"item_seq":1}],
		"stages":[{"kind":"register","starts_on":"%s","ends_on":"%s"},{"kind":"carry_out","starts_on":"%s","ends_on":"%s"}]}`,
		day(-20), day(100), unit.ID, day(-20), day(-1), day(0), day(100))
	r = e.do("POST", "/api/v1/campaigns", town, body)
	var c struct {
		campaigns.Campaign
		Created bool `json:"created"`
	}
	r.json(t, &c)
	if r.status != http.StatusCreated || !c.Created || c.Status != "draft" || len(c.Villages) != 10 || c.Items[0].Units[0].Name != "街道社会事务办" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if r = e.do("POST", "/api/v1/campaigns", town, body); r.status != http.StatusOK {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	if r = e.do("GET", "/api/v1/campaigns/"+itoa(c.ID), village, ""); r.status != http.StatusNotFound {
		t.Fatalf("the village reads the draft: %d", r.status)
	}
	if r = e.do("POST", "/api/v1/campaigns/"+itoa(c.ID)+"/start", village, `{"version":1}`); r.status != http.StatusForbidden {
		t.Fatalf("the village starts it: %d", r.status)
	}
	if r = e.do("POST", "/api/v1/campaigns/"+itoa(c.ID)+"/start", town, `{"version":1}`); r.status != http.StatusOK {
		t.Fatalf("start: %d %s", r.status, r.body)
	}

	var refs struct {
		Items []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"items"`
	}
	r = e.do("GET", "/api/v1/households/"+itoa(e.in.household)+"/campaigns", grid, "")
	r.json(t, &refs)
	if r.status != 200 || len(refs.Items) != 1 || refs.Items[0].Title != "胜境街道关爱行动" {
		t.Fatalf("taggable: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/visits", grid, fmt.Sprintf(`{"client_id":"api-v1","household_id":%d,"kind":"home","result":"fine","campaign_id":%d}`, e.in.household, c.ID))
	if r.status != http.StatusCreated {
		t.Fatalf("tagged visit: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/visits", e.token("wc-grid"), fmt.Sprintf(`{"client_id":"api-v2","household_id":%d,"kind":"home","result":"fine","campaign_id":%d}`, e.out.household, c.ID))
	if r.status != http.StatusBadRequest || r.errCode() != "invalid" {
		t.Fatalf("an outside visit tagged with the campaign: %d %s", r.status, r.body)
	}
	// The day's form without script tags the same way.
	gb := e.browser()
	gb.login("grid")
	if r = gb.post("/today/visits", url.Values{"household_id": {itoa(e.in.household)}, "kind": {"home"}, "result": {"fine"},
		"campaign_id": {itoa(c.ID)}}); r.status != http.StatusSeeOther {
		t.Fatalf("tagged visit from the form: %d %.300s", r.status, r.body)
	}
	// A service of 阳光社工 for the household, tagged too.
	orgs, err := e.store.ServiceOrgs(ctx, e.actor("town"))
	if err != nil || len(orgs) == 0 {
		t.Fatalf("demo organisations: %v", err)
	}
	if err := e.store.AddServiceCoverage(ctx, e.actor("town"), orgs[0].Contracts[0].ID, e.in.household, ""); err != nil {
		t.Fatal(err)
	}
	code, err := e.store.IssueHouseholdCode(ctx, e.actor("village"), e.in.household)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	svc := services.NewRecord{ClientID: "api-s1", HouseholdID: e.in.household, Type: services.Cleaning, StartedAt: now.Add(-2 * time.Hour),
		EndedAt: now.Add(-time.Hour), Code: code, Photos: [][]byte{services.PNG(40, 30, 5)}, CampaignID: c.ID + 1000}
	if _, _, err := e.store.RecordService(ctx, e.actor("social"), svc); err == nil {
		t.Fatal("a service tagged with no such campaign was recorded")
	}
	svc.CampaignID = c.ID
	if _, _, err := e.store.RecordService(ctx, e.actor("social"), svc); err != nil {
		t.Fatalf("tagged service: %v", err)
	}
	counts, err := e.store.CampaignTaggedCounts(ctx, c.ID)
	if err != nil || counts["530325002009"].Visits != 2 || counts["530325002009"].VisitHouseholds != 1 ||
		counts["530325002009"].Services != 1 {
		t.Fatalf("counts = %+v %v", counts, err)
	}

	act := fmt.Sprintf(`{"client_id":"api-a1","item_id":%d,"village_code":"530325002009","title":"平安夜话","held_on":"%s","participants":12,"person_ids":[%d]}`,
		c.Items[0].ID, day(0), e.in.person)
	if r = e.do("POST", "/api/v1/campaigns/"+itoa(c.ID)+"/activities", village, act); r.status != http.StatusCreated {
		t.Fatalf("activity: %d %s", r.status, r.body)
	}
	if r = e.do("POST", "/api/v1/campaigns/"+itoa(c.ID)+"/activities", village, act); r.status != http.StatusOK {
		t.Fatalf("activity resent: %d %s", r.status, r.body)
	}
	if r = e.do("POST", "/api/v1/campaigns/"+itoa(c.ID)+"/activities", wc, act); r.status != http.StatusNotFound {
		t.Fatalf("an outside village records: %d %s", r.status, r.body)
	}
	var tasks struct {
		Items []struct {
			Stage *struct {
				Kind string `json:"kind"`
			} `json:"stage"`
			Late int `json:"late"`
		} `json:"items"`
	}
	r = e.do("GET", "/api/v1/campaigns/mine", village, "")
	r.json(t, &tasks)
	if r.status != 200 || len(tasks.Items) != 1 || tasks.Items[0].Stage == nil || tasks.Items[0].Stage.Kind != "carry_out" || tasks.Items[0].Late != 1 {
		t.Fatalf("tasks: %d %s", r.status, r.body)
	}
	var vt struct {
		Stages []struct {
			Kind, Status string
		} `json:"stages"`
	}
	r = e.do("GET", "/api/v1/campaigns/"+itoa(c.ID)+"/villages/530325002009", village, "")
	r.json(t, &vt)
	if r.status != 200 || len(vt.Stages) != 2 || vt.Stages[0].Status != "late" || vt.Stages[1].Status != "in_progress" {
		t.Fatalf("village tasks: %d %s", r.status, r.body)
	}
}
