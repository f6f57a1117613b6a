package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// seedHousehold registers, as the village staff, an elderly woman living
// alone in the grid of 西塘街社区 (invented name and number).
func seedHousehold(t *testing.T, srv *Server, name string, birth time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	a := actor(t, srv, "wc-village")
	id, err := srv.Store.CreateHousehold(ctx, a, safetynet.HouseholdInput{PlaceCode: "430112001001-01-01", Address: "西塘街17号", Phone: "13873100017"},
		safetynet.PersonInput{Name: name, IDNumber: idcard.Generate(nil, "430112", birth, idcard.Female)})
	if err != nil {
		t.Fatal(err)
	}
	v, err := srv.Store.HouseholdView(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.AssignCategory(ctx, a, safetynet.SubjectPerson, v.Members[0].ID, safetynet.NewAssignment{Category: "elderly_alone",
		Start: birth.AddDate(75, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestSeed003Story replays the relay of seed 003 on a phone, with invented
// names: at 7:50 the grid worker reports that an 80-year-old woman living
// alone fell at home; the community acknowledges; the civil-affairs
// specialist verifies at home; emergency help and meal delivery are
// recorded; temporary assistance is applied for and approved by the town;
// follow-ups are logged; after two months the case closes with the risk
// eliminated, and the household's form and the figures show it all.
func TestSeed003Story(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 7, 50, 0, 0, time.Local))
	srv := StartServer(t, clock)
	hh := seedHousehold(t, srv, "祝桂英", time.Date(1946, 3, 12, 0, 0, 0, 0, time.UTC))
	ctx := Phone(t)

	// 7:50 — the grid worker reports from the phone.
	Do(t, ctx,
		Login(srv.URL, "wc-grid"),
		chromedp.Click(chromedp.ID("nav-report")),
		chromedp.WaitVisible(chromedp.ID("report-form")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=household_id][value="%d"]`, hh))),
		chromedp.Click(chromedp.CSS(`input[name=kinds][value=fall]`)),
		chromedp.Click(chromedp.CSS(`input[name=urgency][value=urgent]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=note]`), "老人在家滑倒，右腿疼痛不能行走"),
		chromedp.Click(chromedp.ID("report-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#sent a`)),
	)
	clues, err := srv.Store.Clues(context.Background(), access.System(), sqlstore.ClueFilter{})
	clues = reportedClues(clues)
	if err != nil || len(clues) != 1 || clues[0].HouseholdID != hh || clues[0].Urgency != "urgent" {
		t.Fatalf("clues = %+v %v", clues, err)
	}
	clue := clues[0].ID

	// 8:05 — the community's specialist sees it in her to-do list and acknowledges.
	clock.Advance(15 * time.Minute)
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "wc-village"),
		chromedp.Click(chromedp.ID("nav-work")),
		chromedp.WaitVisible(chromedp.ID("work-list")),
		chromedp.Click(chromedp.CSS(`#work-list a`)),
		chromedp.WaitVisible(chromedp.ID("acknowledge")),
		chromedp.Click(chromedp.ID("acknowledge")),
		chromedp.WaitVisible(chromedp.Search(`//strong[@id="clue-status" and contains(., "待核实")]`)),
	)
	// 9:00 — she verifies at home: emergency help and a case.
	clock.Advance(55 * time.Minute)
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(`input[name=check_food][value=problem]`)),
		chromedp.Click(chromedp.CSS(`input[name=check_medical][value=problem]`)),
		chromedp.Click(chromedp.CSS(`input[name=check_housing][value=ok]`)),
		chromedp.Click(chromedp.CSS(`input[name=risks][value=accident]`)),
		chromedp.Click(chromedp.CSS(`input[name=risks][value=illness]`)),
		chromedp.Click(chromedp.CSS(`input[name=decision][value=emergency]`)),
		chromedp.SendKeys(chromedp.CSS(`#verify-form textarea[name=note]`), "独居，儿子为特困人员正在住院"),
		chromedp.Click(chromedp.ID("verify-submit")),
		chromedp.WaitVisible(chromedp.ID("case")),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	var caseID int64
	if _, err := fmt.Sscanf(loc[strings.LastIndex(loc, "/")+1:], "%d", &caseID); err != nil {
		t.Fatalf("not on a case page: %s", loc)
	}
	// Emergency help, then the neighbours' meal relay.
	emergency := func(what, who string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Click(chromedp.CSS(`#emergency-box summary`)),
			chromedp.SendKeys(chromedp.CSS(`#emergency-form input[name=description]`), what),
			chromedp.SendKeys(chromedp.CSS(`#emergency-form input[name=provider]`), who),
			chromedp.Click(chromedp.CSS(`#emergency-form button`)),
			chromedp.WaitVisible(chromedp.Search(`//ul[@id="measures"]//li[contains(., "`+what+`")]`)),
		)
	}
	Do(t, ctx, emergency("送医治疗", "社区民政专干"))
	clock.Advance(3 * time.Hour)
	Do(t, ctx, emergency("邻里接龙做饭送餐、照护起居", "暖邻相伴爱心送餐群"))
	// Temporary assistance of 3,000 yuan: the town decides.
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#apply-box summary`)),
		chromedp.SetValue(chromedp.CSS(`#apply-form select[name=measure]`), "temporary"),
		chromedp.SendKeys(chromedp.CSS(`#apply-form input[name=amount]`), "3000"),
		chromedp.Click(chromedp.CSS(`#apply-form button`)),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="measures"]//li[contains(., "临时救助")]`)),
	)
	view, _ := srv.Store.CaseView(context.Background(), access.System(), caseID)
	var app int64
	for _, m := range view.Measures {
		if m.Kind == "application" {
			app = m.ID
		}
	}
	if app == 0 || view.Measures[len(view.Measures)-1].ApprovalLevel != safetynet.LevelTown {
		t.Fatalf("application = %+v", view.Measures)
	}
	clock.Advance(26 * time.Hour)
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "wc-town"),
		chromedp.Click(chromedp.ID("nav-inbox")),
		chromedp.WaitVisible(chromedp.ID("notifications")),
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", srv.URL, caseID)),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("approve-%d", app))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("approve-%d", app))),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="measures"]//li[contains(., "已批准")]`)),
	)
	// Follow-ups by the community, a week apart.
	Do(t, ctx, Logout(), Login(srv.URL, "wc-village"), chromedp.Navigate(fmt.Sprintf("%s/cases/%d", srv.URL, caseID)),
		chromedp.Click(chromedp.CSS(`#followup-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.followup`)))
	for _, note := range []string{"能扶着下床，邻居每天送餐", "基本恢复，能自己做饭"} {
		clock.Advance(7 * 24 * time.Hour) // a week on: her session has ended, she logs in again
		Do(t, ctx,
			Login(srv.URL, "wc-village"),
			chromedp.Navigate(fmt.Sprintf("%s/cases/%d", srv.URL, caseID)),
			chromedp.SendKeys(chromedp.CSS(`form.followup input[name=note]`), note),
			chromedp.SetValue(chromedp.CSS(`form.followup input[name=next]`), clock.Now().AddDate(0, 0, 7).Format("2006-01-02")),
			chromedp.Click(chromedp.CSS(`form.followup button`)),
			chromedp.WaitVisible(chromedp.Search(`//ul[@id="followups"]//li[contains(., "`+note+`")]`)),
		)
	}
	// Two months on: risk eliminated.
	clock.Advance(45 * 24 * time.Hour)
	Do(t, ctx,
		Login(srv.URL, "wc-village"),
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", srv.URL, caseID)),
		AcceptConfirms(),
		chromedp.Click(chromedp.CSS(`#close-box summary`)),
		chromedp.SetValue(chromedp.CSS(`#close-form select[name=outcome]`), "risk_eliminated"),
		chromedp.SendKeys(chromedp.CSS(`#close-form input[name=note]`), "已康复，生活能自理"),
		chromedp.Click(chromedp.CSS(`#close-form button`)),
		chromedp.WaitVisible(chromedp.Search(`//strong[@id="case-status" and contains(., "风险消除")]`)),
		chromedp.Click(chromedp.ID("household-link")),
		chromedp.WaitVisible(chromedp.ID("household-cases")),
	)
	cases := Text(t, ctx, chromedp.ID("household-cases"))
	if !strings.Contains(cases, "风险消除") || !strings.Contains(cases, "因意外事故") {
		t.Errorf("household's cases = %q", cases)
	}
	cats := Text(t, ctx, chromedp.ID("category-list"))
	if !strings.Contains(cats, "突发严重困难户") || strings.Count(cats, "风险消除") != 3 {
		t.Errorf("household's categories = %q", cats)
	}
	if tl := Text(t, ctx, chromedp.CSS(`.timeline`)); !strings.Contains(tl, "紧急救助") || !strings.Contains(tl, "批准帮扶措施") {
		t.Errorf("household's timeline = %q", tl)
	}
	// The county's figures show one household helped through active discovery.
	Do(t, ctx, Logout(), Login(srv.URL, "wc-county"),
		chromedp.Navigate(srv.URL+"/figures?from=2026-07-01&to="+clock.Now().Format("2006-01-02")),
		chromedp.WaitVisible(chromedp.ID("figures-table")))
	if got := Text(t, ctx, chromedp.ID("helped")); got != "1" {
		t.Errorf("households helped = %q", got)
	}
	table := Text(t, ctx, chromedp.ID("figures-table"))
	if !strings.Contains(table, "15分钟") || !strings.Contains(table, "1.2小时") {
		t.Errorf("figures table = %q", table)
	}
	_ = clue
}
