package httpserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/idcard"
)

// TestMonitoringAPI walks an inclusion through the API on both databases:
// bad input answers 400 naming the field, a double proposal and a stale
// version 409, each level answers its own step, the county's meeting list
// downloads without ID numbers, confirmation shows in the register.
func TestMonitoringAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village, town, county, grid := e.token("village"), e.token("town"), e.token("county"), e.token("grid")
		id := idcard.Generate(nil, demo.Fuyuan, time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), idcard.Male)
		hh, err := e.store.CreateHousehold(ctx, e.actor("village"), safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-01-01", Address: "棠梨湾30号"},
			safetynet.PersonInput{Name: "孟长林", IDNumber: id})
		if err != nil {
			t.Fatal(err)
		}
		expect := func(r response, status int, field string) {
			t.Helper()
			if r.status != status || (field != "" && !strings.Contains(r.body, `"field":"`+field+`"`)) {
				t.Fatalf("status %d (want %d, field %q): %.400s", r.status, status, field, r.body)
			}
		}
		body := func(extra string) string {
			return fmt.Sprintf(`{"household_id":%d,"kind":"include","category":"monitor_marginal","risk_causes":["illness"],"income":"16800","members":2%s}`, hh, extra)
		}
		expect(e.do("POST", "/api/v1/monitoring/processes", village, strings.Replace(body(""), `"16800"`, `"一万"`, 1)), 400, "income")
		expect(e.do("POST", "/api/v1/monitoring/processes", village, strings.Replace(body(""), "monitor_marginal", "dibao", 1)), 400, "category")
		expect(e.do("POST", "/api/v1/monitoring/processes", village, strings.Replace(body(""), "illness", "poverty", 1)), 400, "risk_causes")
		expect(e.do("POST", "/api/v1/monitoring/processes", village, body(`,"colour":"red"`)), 400, "")
		expect(e.do("POST", "/api/v1/monitoring/processes", grid, body("")), 403, "")
		r := e.do("POST", "/api/v1/monitoring/processes", village, body(""))
		expect(r, 201, "")
		var created struct{ ID int64 }
		_ = json.Unmarshal([]byte(r.body), &created)
		expect(e.do("POST", "/api/v1/monitoring/processes", village, body("")), 409, "")
		path := fmt.Sprintf("/api/v1/monitoring/processes/%d", created.ID)
		r = e.do("GET", path, village, "")
		expect(r, 200, "")
		if !strings.Contains(r.body, `"per_capita":"8400.00"`) || !strings.Contains(r.body, `"step":"review"`) {
			t.Fatalf("process = %s", r.body)
		}
		today := e.store.Now()
		d := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
		review := fmt.Sprintf(`{"passed":true,"date":"%s","participants":19,"people":"村民代表","version":1}`, d(-8))
		expect(e.do("POST", path+"/review", village, strings.Replace(review, `"version":1`, `"version":0`, 1)), 400, "version")
		expect(e.do("POST", path+"/review", town, review), 403, "")
		expect(e.do("POST", path+"/review", village, review), 204, "")
		expect(e.do("POST", path+"/review", village, review), 409, "")
		expect(e.do("POST", path+"/notice", village, fmt.Sprintf(`{"start":"%s","end":"%s","where":"公开栏","version":2}`, d(-7), d(-4))), 400, "end")
		expect(e.do("POST", path+"/notice", village, fmt.Sprintf(`{"start":"%s","end":"%s","where":"公开栏","version":2}`, d(-7), d(-1))), 204, "")
		expect(e.do("POST", path+"/town", town, `{"passed":false,"version":3}`), 400, "note")
		expect(e.do("POST", path+"/town", town, `{"passed":true,"version":3}`), 204, "")
		expect(e.do("POST", path+"/county", town, `{"passed":true,"version":4}`), 403, "")
		// The county's meeting list: the household, no ID number.
		r = e.do("GET", "/api/v1/monitoring/meeting.xlsx", county, "")
		expect(r, 200, "")
		f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Sheet1")
		flat := fmt.Sprint(rows)
		if !strings.Contains(flat, "孟长林") || !strings.Contains(flat, "8400.00") || strings.Contains(flat, id) ||
			regexp.MustCompile(`\d{17}[\dX]`).MatchString(flat) {
			t.Errorf("meeting list = %v", rows)
		}
		expect(e.do("POST", path+"/county", county, `{"passed":true,"version":4}`), 204, "")
		hv, err := e.store.HouseholdView(ctx, access.System(), hh)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range hv.History {
			found = found || x.Category == safetynet.CatMonitorMarginal && x.Active() && x.Source == "monitoring"
		}
		if !found {
			t.Errorf("register = %+v", hv.History)
		}
		// Lists and settings.
		r = e.do("GET", "/api/v1/monitoring/households?list=ready", county, "", "Accept-Language", "zh")
		expect(r, 200, "")
		if !strings.Contains(r.body, "刘桂兰") || !strings.Contains(r.body, "人均收入高于监测线") {
			t.Errorf("ready = %.600s", r.body)
		}
		expect(e.do("GET", "/api/v1/monitoring/households?list=all", county, ""), 400, "list")
		expect(e.do("GET", "/api/v1/monitoring/processes", grid, ""), 403, "")
		settings := `{"review_days":3,"notice_days":7,"town_days":3,"county_days":2,"notice_min_days":5,"above_months":6,"min_monitored_months":6,"review_months":6}`
		expect(e.do("PUT", "/api/v1/monitoring/settings", village, settings), 403, "")
		r = e.do("PUT", "/api/v1/monitoring/settings", county, settings)
		if r.status != 200 || !strings.Contains(r.body, `"total_days":15`) {
			t.Errorf("settings = %d %s", r.status, r.body)
		}
		expect(e.do("PUT", "/api/v1/monitoring/settings", county, strings.Replace(settings, `"notice_days":7`, `"notice_days":3`, 1)), 400, "notice_days")
	})
}
