package httpserver_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"safetynet/demo"
	"safetynet/sqlstore"
)

// TestGoalsPages: the county drills down from its towns to 腰站社区 and
// the list behind a figure; the village marks a typical case (a resend is
// one case, an empty title is refused by name); the report prints in
// Chinese and exports to .xlsx with Chinese sheets; the JSON API gives the
// same figures, a level's being the sums of its places'.
func TestGoalsPages(t *testing.T) {
	e := newEnv(t)
	c := startGoalsCampaign(t, e.store, e.actor("county"), e.actor("village"), "goals-web", e.in.household)
	base := fmt.Sprintf("/campaigns/%d", c.id)
	br := e.browser()
	br.login("county")
	r := br.get(base + "/goals")
	if r.status != http.StatusOK || !strings.Contains(r.body, "目标进度") || !strings.Contains(r.body, "留守老人走访全覆盖") ||
		!strings.Contains(r.body, base+"/goals?place=530325002") {
		t.Fatalf("county goals: %d %.600s", r.status, r.body)
	}
	r = br.get(base + "/goals?place=530325002")
	if r.status != http.StatusOK || !strings.Contains(r.body, base+"/goals?place="+demo.Yaozhan) {
		t.Fatalf("town goals: %d %.600s", r.status, r.body)
	}
	r = br.get(base + "/goals?place=" + demo.Yaozhan)
	if r.status != http.StatusOK || !strings.Contains(r.body, "腰站社区") || !strings.Contains(r.body, fmt.Sprintf("%s/goals/%d?place=%s&amp;which=pending", base, c.visitGoal, demo.Yaozhan)) {
		t.Fatalf("village goals: %d %.600s", r.status, r.body)
	}
	if r = br.get(fmt.Sprintf("%s/goals/%d?place=%s&which=all", base, c.activityGoal, demo.Yaozhan)); r.status != http.StatusOK || !strings.Contains(r.body, "名单为空") {
		t.Fatalf("activities list: %d %.600s", r.status, r.body)
	}
	if r = br.get(base + "/goals?place=430112"); r.status != http.StatusBadRequest {
		t.Fatalf("a place outside the campaign: %d", r.status)
	}

	vb := e.browser()
	vb.login("village")
	r = vb.get(base + "/examples?household=" + itoa(e.in.household))
	if r.status != http.StatusOK || !strings.Contains(r.body, "结对关爱") || !strings.Contains(r.body, "标记典型案例") {
		t.Fatalf("examples page: %d %.600s", r.status, r.body)
	}
	form := url.Values{"subject": {"household:" + itoa(e.in.household)}, "title": {"结对关爱"}, "text": {"每周上门走访。"}}
	if r = vb.post(base+"/examples", form); r.status != http.StatusSeeOther {
		t.Fatalf("mark again: %d %.300s", r.status, r.body)
	}
	_, ex, err := e.store.CampaignExamples(ctx, e.actor("village"), c.id)
	if err != nil || len(ex) != 1 {
		t.Fatalf("examples after a resend = %+v %v", ex, err)
	}
	form.Set("title", "")
	if r = vb.post(base+"/examples", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "标题不能为空") {
		t.Fatalf("no title: %d %.300s", r.status, r.body)
	}

	r = br.get(base + "/report")
	for _, want := range []string{"总结报告", "一、目标完成情况", "二、工作开展情况", "三、逾期村（社区）", "结对关爱", "留守老人走访全覆盖"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	r = br.get(base + "/report.xlsx")
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
		t.Fatalf("report.xlsx: %d %s", r.status, r.header)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"目标进度", "分地区进度", "工作数据", "逾期村", "典型案例"}) {
		t.Fatalf("sheets = %v", got)
	}
	rows, _ := f.GetRows("典型案例")
	if len(rows) != 2 || rows[0][0] != "村（社区）" || !strings.HasPrefix(rows[1][0], "腰站社区") || rows[1][2] != "结对关爱" {
		t.Fatalf("examples sheet = %v", rows)
	}
	rows, _ = f.GetRows("逾期村")
	if len(rows) < 2 || rows[0][1] != "村（社区）" {
		t.Fatalf("late sheet = %v", rows)
	}

	token := e.token("county")
	var g sqlstore.CampaignGoals
	r = e.do("GET", "/api/v1/campaigns/"+itoa(c.id)+"/goals", token, "")
	r.json(t, &g)
	if len(g.Goals) != 2 || len(g.Goals[0].Rows) == 0 {
		t.Fatalf("api goals = %+v", g)
	}
	for _, p := range g.Goals {
		var num, den int64
		for _, row := range p.Rows {
			num, den = num+row.Figure.Num, den+row.Figure.Den
		}
		if num != p.Total.Figure.Num || den != p.Total.Figure.Den {
			t.Errorf("goal %s: rows sum %d/%d, total %+v", p.Title, num, den, p.Total.Figure)
		}
	}
	vt := e.token("village")
	r = e.do("POST", "/api/v1/campaigns/"+itoa(c.id)+"/examples", vt, `{"household_id":`+itoa(e.in.household)+`,"title":"结对关爱","text":"每周上门走访。"}`)
	var got sqlstore.CampaignExample
	r.json(t, &got)
	if r.status != http.StatusCreated || got.ID != c.example || got.HouseholdName == "" {
		t.Fatalf("api mark: %d %s", r.status, r.body)
	}
	if r = e.do("DELETE", "/api/v1/campaigns/"+itoa(c.id)+"/examples/"+itoa(c.example), vt, ""); r.status != http.StatusNoContent {
		t.Fatalf("api remove: %d %s", r.status, r.body)
	}
	if r = e.do("GET", "/api/v1/campaigns/"+itoa(c.id)+"/report", e.token("wc-county"), ""); r.status != http.StatusNotFound {
		t.Fatalf("another county's report: %d", r.status)
	}
}
