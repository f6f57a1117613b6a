package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/feeds"
	"safetynet/idcard"
	"safetynet/monitoring"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestMonitoringInclusionOnPhone is the village's side of issue 9 on a
// 360-px phone: a department warning about an ordinary household of
// 腰站社区 (pushed as a clue with source 部门推送) → the village verifies
// at home → proposes inclusion as 边缘易致贫户 → records the democratic
// review and, six days later, the public notice → the town passes it →
// the county confirms → the household's page shows the category, from
// the confirmation date, within the 15 days.
func TestMonitoringInclusionOnPhone(t *testing.T) {
	start := time.Date(2026, 7, 28, 9, 0, 0, 0, time.Local)
	clock := storetest.NewClock(start)
	srv := StartServer(t, clock)
	bg := context.Background()
	village := actor(t, srv, "village")
	headID := idcard.Generate(nil, demo.Fuyuan, time.Date(1968, 4, 9, 0, 0, 0, 0, time.UTC), idcard.Male)
	hh, err := srv.Store.CreateHousehold(bg, village, safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-02-01", Address: "下大桥21号"},
		safetynet.PersonInput{Name: "周永福", IDNumber: headID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.AssignCategory(bg, village, safetynet.SubjectHousehold, hh, safetynet.NewAssignment{Category: "ordinary",
		Start: start.AddDate(-3, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	// The 医保 account pushes a batch in which the head's year-to-date
	// out-of-pocket costs cross 20,000 yuan; the warning rules turn it into
	// a warning on the village's list.
	dept := actor(t, srv, "dept")
	b, _, err := srv.Store.PushFeedBatch(bg, dept, sqlstore.FeedPush{Department: "medical_insurance", BatchKey: "yibao-2026-07-28",
		Rows: []feeds.Row{{No: 1, Key: "ZY-0001", IDNumber: headID, Name: "周永福", EventType: "住院", Date: "2026-07-25",
			Fields: map[string]string{"oop_cost": "8600", "oop_ytd": "21350"}}}})
	if err != nil || b.Matched != 1 {
		t.Fatalf("push: %+v %v", b, err)
	}
	for {
		n, err := srv.Store.DrainWarnings(bg, 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	var warning struct{ ID int64 }
	ws, err := srv.Store.Warnings(bg, village, sqlstore.WarningFilter{})
	for _, w := range ws {
		if w.HouseholdID == hh {
			warning.ID = w.ClueID
		}
	}
	if err != nil || warning.ID == 0 {
		t.Fatalf("no warning on the village's list: %+v %v", ws, err)
	}
	ctx := Phone(t)

	// The village sees the warning in its to-do list, verifies at home and opens a case.
	Do(t, ctx,
		Login(srv.URL, "village"),
		chromedp.Click(chromedp.ID("nav-work")),
		chromedp.WaitVisible(chromedp.ID("work-list")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#work-list a[href="/clues/%d"]`, warning.ID))),
		chromedp.WaitVisible(chromedp.Search(`//dd[contains(., "部门推送")]`)),
		// The warning says what crossed which threshold.
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "21,350") and contains(., "20,000")]`)),
		chromedp.Click(chromedp.CSS(`input[name=check_medical][value=problem]`)),
		chromedp.Click(chromedp.CSS(`input[name=risks][value=illness]`)),
		chromedp.Click(chromedp.CSS(`input[name=decision][value=open_case]`)),
		chromedp.SendKeys(chromedp.CSS(`#verify-form textarea[name=note]`), "户主住院两次，家庭收入下降"),
		chromedp.Click(chromedp.ID("verify-submit")),
		chromedp.WaitVisible(chromedp.ID("case")),
		// The verified warning offers 纳入监测 too; the village starts it from there.
		chromedp.Navigate(fmt.Sprintf("%s/clues/%d", srv.URL, warning.ID)),
		chromedp.WaitVisible(chromedp.ID("propose-monitoring")),
		chromedp.Click(chromedp.ID("propose-monitoring")),
		chromedp.WaitVisible(chromedp.ID("propose-form")),
		chromedp.Click(chromedp.CSS(`input[name=category][value=monitor_marginal]`)),
		chromedp.SendKeys(chromedp.ID("income"), "16800"),
		chromedp.SendKeys(chromedp.CSS(`#propose-form textarea[name=reason]`), "大额医疗支出，收入骤减"),
		chromedp.Click(chromedp.ID("propose-submit")),
		chromedp.WaitVisible(chromedp.ID("review-form")),
	)
	if ticked, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#process-type") !== null`)); !ticked {
		t.Fatal("the process page does not show the type")
	}
	all, err := srv.Store.MonitoringProcesses(bg, access.System(), sqlstore.MonitoringFilter{Status: "all", Place: demo.Yaozhan + "-02-01"})
	var ps []sqlstore.MonitoringProcess
	for _, p := range all {
		if p.HouseholdID == hh {
			ps = append(ps, p)
		}
	}
	if err != nil || len(ps) != 1 || ps[0].Origin != "warning" || ps[0].ClueID != warning.ID || len(ps[0].RiskCauses) != 1 ||
		ps[0].RiskCauses[0] != "illness" || ps[0].Category != safetynet.CatMonitorMarginal {
		t.Fatalf("process = %+v %v", ps, err)
	}
	id := ps[0].ID
	link := fmt.Sprintf("%s/monitoring/%d", srv.URL, id)

	// The democratic review the same day.
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#review-form input[name=participants]`), "23"),
		chromedp.SendKeys(chromedp.CSS(`#review-form input[name=people]`), "村两委、村民代表"),
		chromedp.Click(chromedp.CSS(`#review-form input[name=passed][value="1"]`)),
		chromedp.Click(chromedp.ID("review-submit")),
		chromedp.WaitVisible(chromedp.ID("notice-form")),
	)
	// The notice runs from the next day for five days; on the sixth the
	// village records it (no objection).
	clock.Advance(6 * 24 * time.Hour)
	Do(t, ctx,
		Login(srv.URL, "village"),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("notice-form")),
		chromedp.SetValue(chromedp.CSS(`#notice-form input[name=start]`), start.AddDate(0, 0, 1).Format("2006-01-02")),
		chromedp.SetValue(chromedp.CSS(`#notice-form input[name=end]`), start.AddDate(0, 0, 5).Format("2006-01-02")),
		chromedp.Click(chromedp.ID("notice-submit")),
		chromedp.WaitVisible(chromedp.Search(`//strong[@id="process-step" and contains(., "乡镇审核")]`)),
		Logout(),
	)
	// The town finds it in its to-do list the next day and passes it.
	clock.Advance(24 * time.Hour)
	Do(t, ctx,
		Login(srv.URL, "town"),
		chromedp.Click(chromedp.ID("nav-work")),
		chromedp.WaitVisible(chromedp.ID("work-list")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#work-list a[href="/monitoring/%d"]`, id))),
		chromedp.WaitVisible(chromedp.ID("decide-form")),
		chromedp.Click(chromedp.ID("pass-submit")),
		chromedp.WaitVisible(chromedp.Search(`//strong[@id="process-step" and contains(., "县级确认")]`)),
		Logout(),
	)
	// The county confirms from its 监测 list.
	clock.Advance(24 * time.Hour)
	Do(t, ctx,
		Login(srv.URL, "county"),
		chromedp.Click(chromedp.ID("nav-monitoring")),
		chromedp.WaitVisible(chromedp.ID("process-list")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#process-list a[href="/monitoring/%d"]`, id))),
		chromedp.WaitVisible(chromedp.ID("decide-form")),
		chromedp.Click(chromedp.ID("pass-submit")),
		chromedp.WaitVisible(chromedp.Search(`//strong[@id="process-status" and contains(., "已确认")]`)),
		Logout(),
	)
	// The village sees the category on the household's page.
	Do(t, ctx,
		Login(srv.URL, "village"),
		chromedp.Navigate(fmt.Sprintf("%s/households/%d", srv.URL, hh)),
		chromedp.WaitVisible(chromedp.ID("monitoring-status")),
	)
	status := Text(t, ctx, chromedp.ID("monitoring-status"))
	confirmed := start.AddDate(0, 0, 8).Format("2006-01-02")
	if !strings.Contains(status, "边缘易致贫户") || !strings.Contains(status, "因病") || !strings.Contains(status, confirmed) {
		t.Errorf("household's 监测 block: %q", status)
	}
	if c := Text(t, ctx, chromedp.ID("categories")); c == "" {
		t.Error("no categories heading")
	}
	p, err := srv.Store.MonitoringProcessView(bg, access.System(), id)
	if err != nil || p.Status != monitoring.StatusConfirmed || p.EndedAt.Sub(p.ProposedAt) > 15*24*time.Hour {
		t.Errorf("confirmed process = %+v %v", p, err)
	}
	// Nothing of the process stays in anyone's to-do list.
	items, _, err := srv.Store.WorkList(bg, access.System(), sqlstore.WorkFilter{})
	for _, it := range items {
		if it.ItemID == id && strings.HasPrefix(it.Kind, "monitoring.") {
			t.Errorf("step still open: %+v", it)
		}
	}
	// The department sees the outcome of its warning (结果反馈): included in
	// monitoring as 边缘易致贫户.
	fb, err := srv.Store.Warnings(bg, dept, sqlstore.WarningFilter{})
	var mine *sqlstore.Warning
	for i := range fb {
		if fb[i].ClueID == warning.ID {
			mine = &fb[i]
		}
	}
	if err != nil || mine == nil || mine.Monitoring != "monitor_marginal" {
		t.Errorf("department's feedback on its warning = %+v (all: %d) %v", mine, len(fb), err)
	}
}

// TestPrintedNoticeList: the public notice list (公示名单) of 腰站社区
// prints on one A4 page with its title, the head's name, the type, the
// risk causes, the income per person, the dates and where to object —
// and no ID number, buttons or menu.
func TestPrintedNoticeList(t *testing.T) {
	srv := StartServer(t)
	ctx := Phone(t)
	Do(t, ctx, Login(srv.URL, "village"),
		chromedp.Click(chromedp.ID("nav-monitoring")),
		chromedp.WaitVisible(chromedp.ID("notice-list")),
		chromedp.Click(chromedp.ID("notice-list")),
		chromedp.WaitVisible(chromedp.ID("notice-table")),
		printMedia("print"))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"防止返贫监测对象纳入公示", "李国华", "腰站社区", "边缘易致贫户", "因病", "6500.00", "公示时间", "如有异议"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed notice lacks %q", want)
		}
	}
	for _, not := range []string{"打印", "退出登录", "下载表格", "筛选"} {
		if strings.Contains(text, not) {
			t.Errorf("printed notice shows %q", not)
		}
	}
	if regexp.MustCompile(`\d{17}[\dX]`).MatchString(text) {
		t.Error("printed notice shows an ID number")
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); n != 1 {
		t.Errorf("the printed notice takes %d pages", n)
	}
}
