package httpserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/idcard"
	"safetynet/sqlstore"
)

// wcGrid is 西塘街一组网格, where the screening demo's households live.
const wcGrid = "430112001001-01-01"

// screeningDemo returns the demo's running screening (高塘岭街道).
func screeningDemo(t *testing.T, e *env) sqlstore.ScreeningCampaign {
	t.Helper()
	cs, err := e.store.ScreeningCampaigns(ctx, e.actor("wc-village"))
	if err != nil || len(cs) != 1 || !cs[0].Running() {
		t.Fatalf("demo screenings %+v %v", cs, err)
	}
	return cs[0]
}

// TestScreeningCampaignPages: the demo's screening shows its progress
// drilled down to the grids and its lists; the form records a household
// (a bad amount answers the form with the field's message, a resend of
// the same form stores one record); the village hands a suggested
// household to the inclusion flow with one tap; a grid worker of another
// county gets 404.
func TestScreeningCampaignPages(t *testing.T) {
	e := newEnv(t)
	c := screeningDemo(t, e)
	b := e.browser()
	b.login("wc-village")
	page := func(b *browser, path string, status int, wants ...string) string {
		t.Helper()
		r := b.get(path)
		if r.status != status {
			t.Fatalf("%s: %d %.300s", path, r.status, r.body)
		}
		for _, w := range wants {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		return r.body
	}
	base := fmt.Sprintf("/campaigns/%d/screening", c.ID)
	page(b, "/screenings", 200, "高塘岭街道防止返贫集中排查", base)
	body := page(b, base, 200, `id="screening-total"`, "西塘街第一居民小组", "监测线 7800.00元", `id="list-todo"`)
	if !strings.Contains(body, `<dd><a href="`+base+`?list=screened&amp;place=430112001001#screening-list" id="total-screened">5</a></dd>`) {
		t.Errorf("five households screened by the demo: %.2000s", body[strings.Index(body, "screening-total"):])
	}
	page(b, base+"?place=430112001001-01", 200, "西塘街一组网格", `id="screening-crumbs"`)
	page(b, base+"?list=suggested", 200, "人均纯收入低于监测线", "住房不安全", "转入纳入监测流程")

	hh, err := e.store.CreateHousehold(ctx, e.actor("wc-village"), safetynet.HouseholdInput{PlaceCode: wcGrid, Address: "西塘街99号"},
		safetynet.PersonInput{Name: "蒋春花", IDNumber: idcard.Generate(nil, "430112", time.Date(1975, 3, 1, 0, 0, 0, 0, time.UTC), idcard.Female)})
	if err != nil {
		t.Fatal(err)
	}
	page(b, base+"?list=todo&place="+wcGrid, 200, "蒋春花")
	formPath := fmt.Sprintf("%s/households/%d", base, hh)
	form := page(b, formPath, 200, "网格员 许亮", `name="income_wages"`, `value="1"`)
	clientID := between(form, `name="client_id" value="`, `"`)
	grid := e.userID("wc-grid")
	values := url.Values{"client_id": {clientID}, "version": {"0"}, "partner_id": {fmt.Sprint(grid)}, "screened_on": {e.store.Now().Format("2006-01-02")},
		"members": {"1"}, "income_wages": {"三千"}, "income_transfers": {"1200"}, "expense_medical": {"500"}, "findings": {"water"}}
	r := b.post(formPath, values)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "“工资性收入”应为金额") || !strings.Contains(r.body, `value="三千"`) {
		t.Fatalf("bad amount: %d %.500s", r.status, r.body)
	}
	values.Set("income_wages", "3000")
	for i := 0; i < 2; i++ { // a double submission stores one record
		r = b.post(formPath, values)
		if r.status != http.StatusSeeOther {
			t.Fatalf("record %d: %d %.500s", i, r.status, r.body)
		}
	}
	page(b, formPath, 200, "排查；可修改", `name="version" value="1"`, `id="per-capita">3700.00<`)
	body = page(b, base+"?list=suggested&place="+wcGrid, 200, "蒋春花", "人均纯收入低于监测线", "饮水不安全")
	rec, err := e.store.ScreeningFormView(ctx, e.actor("wc-village"), c.ID, hh)
	if err != nil || rec.Record == nil {
		t.Fatal(err)
	}
	handover := fmt.Sprintf("%s/records/%d/handover", base, rec.Record.ID)
	if !strings.Contains(body, `action="`+handover+`"`) {
		t.Fatalf("no handover form: %.800s", body)
	}
	r = b.post(handover, url.Values{"place": {wcGrid}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("handover: %d %.500s", r.status, r.body)
	}
	body = page(b, base+"?list=suggested&place="+wcGrid, 200, "已转入纳入监测流程", "民主评议")
	ps, err := e.store.MonitoringProcesses(ctx, e.actor("wc-village"), sqlstore.MonitoringFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range ps {
		if p.HouseholdID == hh {
			n++
			if p.Origin != "screening" || p.Category != safetynet.CatMonitorMarginal || !strings.Contains(p.Reason, "人均纯收入 3700.00 元") {
				t.Errorf("process %+v", p)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d processes for the household", n)
	}
	if r = b.post(handover, url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("second tap: %d", r.status)
	}

	// Scope: the grid worker of 西塘街 sees the grid's progress and may not
	// hand over; outside 高塘岭街道 everything is 404.
	g := e.browser()
	g.login("wc-grid")
	page(g, base, 200, "西塘街一组网格")
	if r := g.post(handover, url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("grid worker hands over: %d", r.status)
	}
	fy := e.browser()
	fy.login("grid")
	page(fy, base, 404)
	page(fy, formPath, 404)
	page(fy, base+"?place="+wcGrid, 404)
	page(fy, "/screenings", 200, "暂无集中排查")
	if r := fy.post(formPath, values); r.status != http.StatusNotFound {
		t.Errorf("an outside grid worker records: %d", r.status)
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	j := strings.Index(s, to)
	if j < 0 {
		return ""
	}
	return s[:j]
}

// TestScreeningCampaignAPI: on both databases, a record through the API
// (the phone's offline queue) answers 201, its resend 200 and the same
// record; bad input names the field; a stale correction is 409; progress
// and lists count it; the handover answers the process once.
func TestScreeningCampaignAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := screeningDemo(t, e)
		grid, village, fy := e.token("wc-grid"), e.token("wc-village"), e.token("village")
		expect := func(r response, status int, field string) {
			t.Helper()
			if r.status != status || (field != "" && !strings.Contains(r.body, `"field":"`+field+`"`)) {
				t.Fatalf("status %d (want %d, field %q): %.400s", r.status, status, field, r.body)
			}
		}
		path := fmt.Sprintf("/api/v1/screenings/%d", c.ID)
		r := e.do("GET", path+"/households?list=todo", grid, "")
		expect(r, 200, "")
		var todo struct {
			Items []struct {
				HouseholdID int64 `json:"household_id"`
				Members     int
			}
		}
		_ = json.Unmarshal([]byte(r.body), &todo)
		if len(todo.Items) == 0 {
			t.Fatalf("nothing to do: %s", r.body)
		}
		hh := todo.Items[0].HouseholdID
		r = e.do("GET", fmt.Sprintf("%s/households/%d", path, hh), grid, "")
		expect(r, 200, "")
		if !strings.Contains(r.body, `"name":"西塘街社区民政专干 邓婷"`) {
			t.Fatalf("partners: %s", r.body)
		}
		body := func(client, extra string) string {
			return fmt.Sprintf(`{"client_id":%q,"household_id":%d,"partner_id":%d,"screened_on":%q,"members":3,"income":{"wages":"30000","farming":"6000"},"expenses":{"schooling":"1200"}%s}`,
				client, hh, e.userID("wc-village"), e.store.Now().Format("2006-01-02"), extra)
		}
		expect(e.do("POST", path+"/records", grid, strings.Replace(body("a1", ""), `"30000"`, `"三万"`, 1)), 400, "income.wages")
		expect(e.do("POST", path+"/records", grid, body("a1", `,"findings":["aliens"]`)), 400, "findings")
		expect(e.do("POST", path+"/records", village, body("a1", "")), 400, "partner_id") // the village staff with themself
		expect(e.do("POST", path+"/records", fy, body("a1", "")), 404, "")
		r = e.do("POST", path+"/records", grid, body("a1", ""))
		expect(r, 201, "")
		if !strings.Contains(r.body, `"per_capita_fen":1160000`) || !strings.Contains(r.body, `"suggests":false`) || !strings.Contains(r.body, `"created":true`) {
			t.Fatalf("record: %s", r.body)
		}
		r = e.do("POST", path+"/records", grid, body("a1", ""))
		expect(r, 200, "")
		expect(e.do("POST", path+"/records", grid, body("a2", "")), 409, "household_id")
		byVillage := func(client, extra string) string {
			return strings.Replace(body(client, extra), fmt.Sprintf(`"partner_id":%d`, e.userID("wc-village")), fmt.Sprintf(`"partner_id":%d`, e.userID("wc-grid")), 1)
		}
		expect(e.do("POST", path+"/records", village, byVillage("a3", `,"version":1,"findings":["labour"]`)), 201, "")
		expect(e.do("POST", path+"/records", village, byVillage("a4", `,"version":1`)), 409, "version")
		r = e.do("GET", path+"/progress?place=430112001001", village, "")
		expect(r, 200, "")
		if !strings.Contains(r.body, `"screened":6`) || !strings.Contains(r.body, `"suggested":3`) {
			t.Fatalf("progress: %s", r.body)
		}
		r = e.do("GET", path+"/households?list=suggested", village, "")
		if !strings.Contains(r.body, `"缺劳动力"`) && !strings.Contains(r.body, `"lack of labour"`) {
			t.Fatalf("suggested: %s", r.body)
		}
		rec, err := e.store.ScreeningFormView(ctx, e.actor("wc-village"), c.ID, hh)
		if err != nil {
			t.Fatal(err)
		}
		hand := fmt.Sprintf("/api/v1/screening-records/%d/handover", rec.Record.ID)
		expect(e.do("POST", hand, grid, ""), 403, "")
		expect(e.do("POST", hand, village, `{"category":"monitor_marginal","risk_causes":["labour"]}`), 201, "")
		r = e.do("POST", hand, village, "")
		expect(r, 200, "")
		if !strings.Contains(r.body, `"started":false`) {
			t.Fatalf("second handover: %s", r.body)
		}
		expect(e.do("GET", path+"/progress", fy, ""), 404, "")
	})
}
