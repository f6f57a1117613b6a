package httpserver_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"safetynet/access"
	"safetynet/visits"
)

// TestVisitFiguresPage: the county's figures page of visits shows visits
// by kind and level and the survival certifications beside the previous
// period, in Chinese on the phone's tables; the API answers the same
// figures. The day page's certification form works without script and
// records once however often it is sent.
func TestVisitFiguresPage(t *testing.T) {
	e := newEnv(t)
	g := e.browser()
	g.login("grid")
	r := g.get("/today")
	if r.status != 200 {
		t.Fatalf("/today: %d", r.status)
	}
	m := regexp.MustCompile(`(?s)id="cert-form-(\d+)".*?name="client_id" value="([^"]+)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no certification form on the day page: %.3000s", r.body)
	}
	form := url.Values{"client_id": {m[2]}, "method": {"face"}, "date": {e.store.Now().In(visits.Zone("")).Format("2006-01-02")}}
	for range 2 {
		if r := g.post("/certifications/"+m[1]+"/record", form); r.status != http.StatusSeeOther {
			t.Fatalf("record: %d %.300s", r.status, r.body)
		}
	}
	d, err := e.store.Certification(ctx, access.System(), mustAtoi(t, m[1]))
	if err != nil || len(d.Records) != 1 {
		t.Fatalf("records = %+v %v", d.Records, err)
	}

	c := e.browser()
	c.login("county")
	r = c.get("/visits?place=530325002")
	if r.status != 200 {
		t.Fatalf("/visits: %d %.300s", r.status, r.body)
	}
	for _, want := range []string{`id="coverage-kinds"`, `id="coverage-places"`, "入户", "电话", "路遇", "乡镇干部", "邻里互助", "完成认证",
		"到期未按时认证", "上期", `data-label="本期"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/visits lacks %q", want)
		}
	}
	if r := c.get("/figures"); !strings.Contains(r.body, `id="figures-visits"`) {
		t.Error("the figures page does not link to the visit figures")
	}
	tok := e.token("county")
	api := e.do("GET", "/api/v1/visits/coverage?place=530325002", tok, "")
	var out struct {
		Total struct {
			Now struct {
				Certified int `json:"certified"`
				Home      int `json:"home"`
			} `json:"now"`
		} `json:"total"`
	}
	api.json(t, &out)
	if api.status != 200 || out.Total.Now.Certified < 2 {
		t.Errorf("coverage API: %d certified %d: %.300s", api.status, out.Total.Now.Certified, api.body)
	}
}
