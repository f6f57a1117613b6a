package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/campaigns"
	"safetynet/demo"
	"safetynet/idcard"
	"safetynet/sqlstore"
)

// goalsSeed is 富源县's campaign for the goals' browser tests.
type goalsSeed struct {
	id, visitGoal int64
	household     int64 // a left-behind elderly man of 腰站社区, not visited yet
}

// seedGoalsCampaign starts a campaign of 富源县 (every village implements
// it) whose period holds the store's today, with a visit goal for
// left-behind elderly, an activity goal and a typical case of 腰站社区, so
// that the county, town and village users reach its goals, examples and
// report pages.
func seedGoalsCampaign(t *testing.T, srv *Server) goalsSeed {
	t.Helper()
	ctx := context.Background()
	county, village := actor(t, srv, "county"), actor(t, srv, "village")
	today := srv.Store.Now().In(campaigns.Zone)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(campaigns.DateLayout) }
	c, _, err := srv.Store.CreateCampaign(ctx, county, campaigns.Campaign{ClientID: "e2e-goals", Kind: campaigns.KindCare, Title: "富源县关爱留守老人专项行动",
		DocNo: "富民发[2026]3号", StartsOn: day(-40), EndsOn: day(50),
		Items: []campaigns.Item{{Title: "走访关爱留守老人", Groups: []string{"left_behind_elderly"}}},
		Goals: []campaigns.Goal{
			{Title: "留守老人走访全覆盖", ItemSeq: 1, Metric: campaigns.MetricVisitedShare, Group: "left_behind_elderly", Target: 1000},
			{Title: "每村开展平安夜话", ItemSeq: 1, Metric: campaigns.MetricActivities, Target: 2},
		},
		Stages: []campaigns.Stage{{Kind: campaigns.StageRegister, Title: "调查摸底", StartsOn: day(-40), EndsOn: day(-20)},
			{Kind: campaigns.StageCarryOut, Title: "工作开展", StartsOn: day(-19), EndsOn: day(50)}}})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = srv.Store.StartCampaign(ctx, county, c.ID, c.Version); err != nil {
		t.Fatal(err)
	}
	full, err := srv.Store.Campaign(ctx, county, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	hh, err := srv.Store.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-01-01", Address: "棠梨湾21号"},
		safetynet.PersonInput{Name: "韦德厚", IDNumber: idcard.Generate(nil, "530325", time.Date(1945, 2, 3, 0, 0, 0, 0, time.UTC), idcard.Male)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := srv.Store.Household(ctx, village, hh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.AssignCategory(ctx, village, safetynet.SubjectPerson, h.HeadID, safetynet.NewAssignment{Category: "left_behind_elderly",
		Start: today.AddDate(0, -3, 0), Reason: "调查摸底"}); err != nil {
		t.Fatal(err)
	}
	other, err := srv.Store.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-01-01", Address: "棠梨湾23号"},
		safetynet.PersonInput{Name: "卢秀芝", IDNumber: idcard.Generate(nil, "530325", time.Date(1947, 5, 6, 0, 0, 0, 0, time.UTC), idcard.Female)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.MarkExample(ctx, village, c.ID, sqlstore.NewExample{HouseholdID: other, Title: "邻里守望", Text: "邻居每天帮忙照看。"}); err != nil {
		t.Fatal(err)
	}
	return goalsSeed{id: c.ID, visitGoal: full.Goals[0].ID, household: hh}
}

// TestGoalsOnAPhone: on a 360-px phone the county drills down from its
// towns to 腰站社区 and the households not yet visited, marks one as a
// typical case from that list, and opens the report, which prints without
// its buttons and exports to .xlsx.
func TestGoalsOnAPhone(t *testing.T) {
	srv := StartServer(t)
	g := seedGoalsCampaign(t, srv)
	ctx := Phone(t)
	base := fmt.Sprintf("%s/campaigns/%d", srv.URL, g.id)
	rows := fmt.Sprintf("#goal-%d-rows", g.visitGoal)
	Do(t, ctx, Login(srv.URL, "county"),
		chromedp.Navigate(base+"/goals"),
		chromedp.WaitVisible(chromedp.CSS(rows)),
		chromedp.Click(chromedp.CSS(rows+` a[href$="place=530325002"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#goals-trail a[href$="place=530325"]`)),
		chromedp.Click(chromedp.CSS(rows+` a[href$="place=`+demo.Yaozhan+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#goal-%d-total", g.visitGoal))),
	)
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Errorf("the village's goals page is %d px wide", w)
	}
	if trail := Text(t, ctx, chromedp.ID("goals-trail")); !strings.Contains(trail, "胜境街道") || !strings.Contains(trail, "腰站社区") {
		t.Errorf("trail = %q", trail)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#goal-%d-total a`, g.visitGoal))),
		chromedp.WaitVisible(chromedp.ID("goal-list-rows")),
	)
	if list := Text(t, ctx, chromedp.ID("goal-list-rows")); !strings.Contains(list, "韦德厚") || !strings.Contains(list, "未走访") {
		t.Fatalf("not visited = %q", list)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#goal-list-rows a[href$="household=%d"]`, g.household))),
		chromedp.WaitVisible(chromedp.ID("example-form")),
		chromedp.SendKeys(chromedp.CSS(`#example-form input[name=title]`), "结对帮扶暖人心"),
		chromedp.SendKeys(chromedp.CSS(`#example-form textarea[name=text]`), "村干部每周上门，帮老人代购药品。"),
		chromedp.Click(chromedp.ID("example-save")),
		// The form's page lists the campaign's examples already: wait for the new one.
		chromedp.WaitVisible(chromedp.Search(`//*[@id="example-list"]//*[contains(., "结对帮扶暖人心")]`)),
	)
	if ex := Text(t, ctx, chromedp.ID("example-list")); !strings.Contains(ex, "结对帮扶暖人心") || !strings.Contains(ex, "韦德厚") {
		t.Fatalf("examples = %q", ex)
	}
	Do(t, ctx, chromedp.Navigate(base+"/report"), chromedp.WaitVisible(chromedp.ID("report-goals")))
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Errorf("the report is %d px wide", w)
	}
	Do(t, ctx, printMedia("print"))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"总结报告", "一、目标完成情况", "留守老人走访全覆盖", "结对帮扶暖人心", "邻里守望"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed report lacks %q", want)
		}
	}
	for _, not := range []string{"打印", "导出 Excel", "退出登录"} {
		if strings.Contains(text, not) {
			t.Errorf("printed report shows %q", not)
		}
	}
	Do(t, ctx, printMedia(""))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const r = await fetch(document.getElementById('report-xlsx').href);
		const b = new Uint8Array(await r.arrayBuffer());
		return r.status + ' ' + r.headers.get('Content-Type') + ' ' + String.fromCharCode(b[0], b[1]) + ' ' + b.length;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(got, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK ") {
		t.Fatalf("report.xlsx: %q %v", got, err)
	}
}
