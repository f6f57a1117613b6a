package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/demo"
	"safetynet/idcard"
)

// TestMonitoringPages: the 监测 lists show the demo's households at each
// stage; a proposal from the household page's form starts a process; bad
// input answers the form again with the field's message; the notice and
// meeting lists and the settings work for their roles.
func TestMonitoringPages(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("village")
	page := func(path string, status int, wants ...string) string {
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
	page("/monitoring", 200, "张秀英", "李国华", "陈明", `id="by-step"`, "民主评议 1")
	page("/monitoring?tab=ready", 200, "刘桂兰", "人均收入高于监测线 7600 元已 8 个月", `id="eliminate-`)
	page("/monitoring?tab=overdue", 200, "赵大山")
	page("/monitoring?tab=monitored", 200, "刘桂兰", "赵大山", "王德福")
	page("/monitoring/notice", 200, "李国华", "防止返贫监测对象纳入公示", "村（社区）务公开栏")
	if r := b.get("/monitoring/notice.xlsx"); r.status != 200 || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("notice.xlsx: %d %s", r.status, r.header.Get("Content-Type"))
	}
	page("/monitoring/settings", 403)

	hh, err := e.store.CreateHousehold(ctx, e.actor("village"), safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-03-01", Address: "南村9号"},
		safetynet.PersonInput{Name: "何春梅", IDNumber: idcard.Generate(nil, demo.Fuyuan, time.Date(1980, 6, 1, 0, 0, 0, 0, time.UTC), idcard.Female)})
	if err != nil {
		t.Fatal(err)
	}
	page(fmt.Sprintf("/households/%d", hh), 200, `id="monitoring-status"`, "不是监测对象", `id="propose-include"`)
	form := url.Values{"kind": {"include"}, "category": {"monitor_sudden"}, "risk_causes": {"accident"}, "income": {"八千"}, "members": {"1"}, "origin": {"application"}}
	r := b.post(fmt.Sprintf("/households/%d/monitoring/new", hh), form)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "近12个月家庭纯收入应为金额") {
		t.Fatalf("bad income: %d %.300s", r.status, r.body)
	}
	form.Set("income", "8000")
	r = b.post(fmt.Sprintf("/households/%d/monitoring/new", hh), form)
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/monitoring/") {
		t.Fatalf("proposal: %d %s %.300s", r.status, loc, r.body)
	}
	page(loc, 200, "何春梅", "突发严重困难户", "因意外事故", "农户自主申报", `id="review-form"`)
	r = b.post(loc+"/review", url.Values{"version": {"1"}, "date": {e.store.Now().Format("2006-01-02")}, "participants": {"15"}, "passed": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("review: %d %.300s", r.status, r.body)
	}
	page(loc, 200, `id="notice-form"`, "15人")
	page(fmt.Sprintf("/households/%d", hh), 200, `id="monitoring-open"`, "公示")

	c := e.browser()
	c.login("county")
	r = c.get("/monitoring/meeting")
	if r.status != 200 || !strings.Contains(r.body, "陈明") || !strings.Contains(r.body, "材料齐全") {
		t.Errorf("meeting list: %d %.300s", r.status, r.body)
	}
	r = c.post("/monitoring/settings", url.Values{"review_days": {"5"}, "notice_days": {"7"}, "town_days": {"2"}, "county_days": {"1"},
		"notice_min_days": {"5"}, "above_months": {"6"}, "min_monitored_months": {"6"}, "review_months": {"3"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("settings: %d %.300s", r.status, r.body)
	}
	if r = c.get("/monitoring/settings"); !strings.Contains(r.body, `name="review_months" inputmode="numeric" value="3"`) {
		t.Errorf("settings not saved: %.300s", r.body)
	}
}
