package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/sqlstore"
)

// screenLoop screens the queue as the jobs loop does, until the test ends.
func screenLoop(t *testing.T, srv *Server) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() {
		defer close(done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_, _ = srv.Store.ScreenQueued(ctx, 1000)
			}
		}
	}()
}

// waitFor reloads path until its body does (or does not) contain text;
// the deadline is the test's, not an assertion on speed.
func waitFor(t *testing.T, ctx context.Context, url, text string, present bool) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		Do(t, ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("main")))
		body := Text(t, ctx, chromedp.CSS("main"))
		if strings.Contains(body, text) == present {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %q present=%v never came: %.600s", url, text, !present, body)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// TestRulesDoneWhen is issue 8's path on a phone: the county officer
// writes the dibao rule (a wrong field first, seeing the Chinese error as
// they type) and the two-disability-subsidy rule with an example, previews
// and publishes them; the 应享未享 list of 腰站社区 shows
// the households with explanations; the grid worker records the outreach;
// village staff start an application from one line and dismiss another;
// an edit of a household's income takes it off the list.
func TestRulesDoneWhen(t *testing.T) {
	srv := StartServer(t)
	screenLoop(t, srv)
	bg := context.Background()
	village := actor(t, srv, "village")
	grid := actor(t, srv, "grid")
	names := []string{"田桂芬", "罗正华", "杨秀珍"}
	ids := map[string]int64{}
	for _, n := range names {
		id, err := srv.Store.CreateHousehold(bg, village, safetynet.HouseholdInput{PlaceCode: grid.Place, Address: "棠梨湾" + n,
			IncomeYear: 2025, IncomeFen: 420000}, safetynet.PersonInput{Name: n})
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = id
	}
	ctx := PhoneWithin(t, 5*time.Minute)

	// The county officer writes the rule, a misspelt field first.
	Do(t, ctx, Login(srv.URL, "county"), chromedp.Navigate(srv.URL+"/rules/new"), chromedp.WaitVisible(chromedp.ID("rule-source")),
		chromedp.SendKeys(chromedp.ID("rule-name"), "低保资格（腰站测试）"),
		chromedp.SetValue(chromedp.ID("rule-measure"), "dibao"),
		chromedp.SendKeys(chromedp.ID("rule-source"), "h.incme < params.dibao_line"),
		chromedp.WaitVisible(chromedp.ID("rule-issues")))
	if msg := Text(t, ctx, chromedp.ID("rule-issues")); !strings.Contains(msg, "第1行") || !strings.Contains(msg, "incme") {
		t.Fatalf("live check: %q", msg)
	}
	Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("rule-source").value = ""; undefined`),
		chromedp.SendKeys(chromedp.ID("rule-source"), `h.income_per_capita < params.dibao_line && !h.has("特困供养")`),
		chromedp.WaitVisible(chromedp.ID("rule-ok")),
		chromedp.Click(chromedp.ID("rule-save")), chromedp.WaitVisible(chromedp.ID("rule-preview")),
		chromedp.Click(chromedp.ID("rule-preview")), chromedp.WaitVisible(chromedp.ID("preview-count")))
	if pv := Text(t, ctx, chromedp.ID("rule-preview-result")); !strings.Contains(pv, "低保线") {
		t.Fatalf("preview without explanation: %q", pv)
	}
	Do(t, ctx, chromedp.Click(chromedp.ID("rule-publish")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	// The two disability subsidies, with an example household that must pass.
	Do(t, ctx, chromedp.Navigate(srv.URL+"/rules/new"), chromedp.WaitVisible(chromedp.ID("rule-source")),
		chromedp.SendKeys(chromedp.ID("rule-name"), "残疾人两项补贴（腰站测试）"),
		chromedp.SetValue(chromedp.ID("rule-measure"), "disability"),
		chromedp.SendKeys(chromedp.ID("rule-source"), "h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)"),
		chromedp.WaitVisible(chromedp.ID("rule-ok")),
		// The example is typed in the form: name, answer and one member.
		chromedp.SendKeys(chromedp.ID("ex0_name"), "一级残疾成年人"),
		chromedp.SetValue(chromedp.ID("ex0_expect"), "1"),
		chromedp.SendKeys(chromedp.ID("ex0_m0_age"), "30"),
		chromedp.SetValue(chromedp.ID("ex0_m0_grade"), "1"),
		chromedp.SendKeys(chromedp.ID("ex0_m0_rel"), "户主"),
		chromedp.Click(chromedp.ID("rule-save")), chromedp.WaitVisible(chromedp.ID("rule-preview")),
		chromedp.Click(chromedp.ID("rule-preview")), chromedp.WaitVisible(chromedp.ID("preview-count")),
		chromedp.Click(chromedp.ID("rule-publish")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if st := Text(t, ctx, chromedp.CSS("main")); !strings.Contains(st, "已发布") {
		t.Fatalf("disability rule not published: %.400s", st)
	}
	Do(t, ctx, Logout())

	// The village's 应享未享 list, with explanations.
	Do(t, ctx, Login(srv.URL, "village"))
	waitFor(t, ctx, srv.URL+"/screening?list=eligible&measure=dibao", names[2], true)
	if body := Text(t, ctx, chromedp.ID("screening-list")); !strings.Contains(body, "人均收入 4,200 < 低保线 5,880") {
		t.Fatalf("no explanation: %.600s", body)
	}
	Do(t, ctx, Logout())

	// The grid worker tells the first household.
	tasks, err := srv.Store.OutreachTasks(bg, grid, "pending")
	if err != nil {
		t.Fatal(err)
	}
	var task int64
	for _, x := range tasks {
		if x.HouseholdID == ids[names[0]] {
			task = x.ID
		}
	}
	if task == 0 {
		t.Fatalf("no outreach task for %s: %+v", names[0], tasks)
	}
	Do(t, ctx, Login(srv.URL, "grid"), chromedp.Navigate(srv.URL+"/outreach"),
		chromedp.Click(chromedp.ID("told-apply-"+itoa(task))), chromedp.WaitVisible(chromedp.CSS("p.flash")), Logout())

	// Village staff start an application from one line and dismiss another.
	lines, err := srv.Store.ScreeningList(bg, village, sqlstore.ListFilter{List: "eligible", Measure: "dibao"})
	if err != nil {
		t.Fatal(err)
	}
	line := map[int64]int64{}
	for _, l := range lines {
		if _, seen := line[l.HouseholdID]; !seen {
			line[l.HouseholdID] = l.ID
		}
	}
	apply, dismiss := line[ids[names[0]]], line[ids[names[1]]]
	Do(t, ctx, Login(srv.URL, "village"), chromedp.Navigate(srv.URL+"/screening?list=eligible&measure=dibao"),
		chromedp.Click(chromedp.ID("apply-"+itoa(apply))), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "/cases/") {
		t.Fatalf("apply did not show the case: %s", loc)
	}
	Do(t, ctx, chromedp.Navigate(srv.URL+"/screening?list=eligible&measure=dibao"),
		chromedp.Click(chromedp.ID("dismiss-"+itoa(dismiss))),
		chromedp.SetValue(chromedp.CSS(`#line-`+itoa(dismiss)+` select[name=reason]`), "declined"),
		chromedp.Click(chromedp.CSS(`#line-`+itoa(dismiss)+` form.form button`)), chromedp.WaitVisible(chromedp.CSS("p.flash")))

	// An income edit takes the third household off the list.
	Do(t, ctx, chromedp.Navigate(srv.URL+"/households/"+itoa(ids[names[2]])+"/edit"), chromedp.WaitVisible(chromedp.CSS(`input[name=income]`)),
		chromedp.SetValue(chromedp.CSS(`input[name=income]`), "9000"),
		chromedp.Submit(chromedp.CSS(`input[name=income]`)), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	waitFor(t, ctx, srv.URL+"/screening?list=eligible&measure=dibao", names[2], false)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
